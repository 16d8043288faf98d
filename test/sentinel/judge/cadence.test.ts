import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {cadenceSignal, phi, Rhythm, rhythmLength, type RhythmReading} from '../../../source/sentinel/judge/cadence.js';

const second = 1000;
const minute = 60 * second;

/** The normal distribution's CDF, by erf's series (Abramowitz-Stegun 7.1.26), to check phi against. */
function normalCdf(x: number, mean: number, deviation: number): number {
	const z = (x - mean) / (deviation * Math.SQRT2);
	const t = 1 / (1 + 0.327_591_1 * Math.abs(z));
	const erf = 1 - ((((1.061_405_429 * t - 1.453_152_027) * t + 1.421_413_741) * t - 0.284_496_736) * t + 0.254_829_592) * t * Math.exp(-z * z);
	return 0.5 * (1 + Math.sign(z) * erf);
}

function rhythmOf(intervals: number[]): Rhythm {
	const rhythm = new Rhythm();
	let at = 1_000_000;
	rhythm.heard(at, true);
	for (const interval of intervals) rhythm.heard((at += interval), true);
	return rhythm;
}

describe('phi', () => {
	it('is -log10(1 - F(silence)) with F the normal CDF, closely (the values Akka tests its approximation with)', () => {
		for (const silence of [0, 6, 15, 20, 25, 35, 40]) {
			expect(1 - 10 ** -phi(silence, 0, 10), `silence ${silence}`).toBeCloseTo(normalCdf(silence, 0, 10), 3);
		}
		expect(phi(1000, 1000, 100)).toBeCloseTo(Math.log10(2), 3);
	});

	it('grows with silence, and stays finite however long the silence', () => {
		fc.assert(
			fc.property(fc.double({min: 0, max: 1e7, noNaN: true}), fc.double({min: 0, max: 1e7, noNaN: true}), fc.double({min: 1, max: 1e5, noNaN: true}), (a, b, mean) => {
				const [shorter, longer] = a <= b ? [a, b] : [b, a];
				const deviation = Math.max(mean / 4, 100);
				const low = phi(shorter, mean, deviation);
				const high = phi(longer, mean, deviation);
				return Number.isFinite(high) && high >= low - 1e-9;
			}),
		);
	});
});

describe('Rhythm', () => {
	it('keeps the last 100 intervals, with their mean and standard deviation', () => {
		const rhythm = rhythmOf([...Array.from({length: 50}, () => 60 * second), ...Array.from({length: 100}, (_, index) => (index % 2 === 0 ? 4 : 6) * second)]);
		expect(rhythm.count).toBe(rhythmLength);
		expect(rhythm.meanMs).toBeCloseTo(5 * second, 6);
		expect(rhythm.deviationMs).toBeCloseTo(1 * second, 6);
	});

	it('learns nothing when told not to, nor from a moment that is not later than the last', () => {
		const rhythm = rhythmOf([5000, 5000]);
		const last = rhythm.lastMs!;
		rhythm.heard(last + 4 * minute, false);
		expect(rhythm.count).toBe(2);
		expect(rhythm.lastMs).toBe(last + 4 * minute);
		rhythm.heard(last, true);
		expect(rhythm.count).toBe(2);
		rhythm.heard(last + 4 * minute + 5000, true);
		expect(rhythm.count).toBe(3);
		expect(rhythm.meanMs).toBe(5000);
	});
});

describe('cadenceSignal', () => {
	const every5s: RhythmReading = {count: 40, meanMs: 5 * second, deviationMs: 0};
	const interval = 2 * second;

	it('says nothing before 10 intervals, or with the threshold at 0', () => {
		expect(cadenceSignal(4 * minute, {...every5s, count: 9}, 8, 2 * interval)).toBeNull();
		expect(cadenceSignal(4 * minute, undefined, 8, 2 * interval)).toBeNull();
		expect(cadenceSignal(4 * minute, every5s, 0, 2 * interval)).toBeNull();
		expect(cadenceSignal(4 * minute, {...every5s, count: 10}, 8, 2 * interval)).not.toBeNull();
	});

	it('warns medium far past the job\'s rhythm, with phi to one decimal and a message read at once', () => {
		const signal = cadenceSignal(4 * minute + 10 * second, every5s, 8, 2 * interval)!;
		expect(signal).toMatchObject({name: 'cadence', severity: 'medium', threshold: 8});
		expect(Number.isFinite(signal.value)).toBe(true);
		expect(signal.value).toBe(Math.round((signal.value as number) * 10) / 10);
		expect(signal.message).toBe('silent 4m10s, 50x its usual 5s');
		expect(JSON.parse(JSON.stringify(signal))).toMatchObject({name: 'cadence', severity: 'medium', message: 'silent 4m10s, 50x its usual 5s'});
	});

	it('is low from phi 3, medium from the threshold, and never higher', () => {
		for (let silence = 0; silence <= 10 * minute; silence += 250) {
			const signal = cadenceSignal(silence, every5s, 8, 2 * interval)!;
			const value = phi(silence, 5000, 1250);
			const expected = silence < 2 * interval ? 'ok' : value >= 8 ? 'medium' : value >= 3 ? 'low' : 'ok';
			expect(signal.severity, `silence ${silence} ms, phi ${value}`).toBe(expected);
		}
		// The deviation is at least a quarter of the mean: 5 s +- 1.25 s is low from about 8.8 s.
		expect(cadenceSignal(8 * second, every5s, 8, 2 * interval)!.severity).toBe('ok');
		expect(cadenceSignal(10 * second, every5s, 8, 2 * interval)!.severity).toBe('low');
		expect(cadenceSignal(13 * second, every5s, 8, 2 * interval)!.severity).toBe('medium');
		expect(cadenceSignal(13 * second, every5s, 20, 2 * interval)!.severity).toBe('low');
	});

	it('stays ok until the job has been silent two of the sentinel\'s intervals, whatever phi says', () => {
		const fast: RhythmReading = {count: 50, meanMs: 100, deviationMs: 5};
		expect(cadenceSignal(3 * second, fast, 8, 2 * interval)!.severity).toBe('ok');
		expect(cadenceSignal(4 * second, fast, 8, 2 * interval)!.severity).toBe('medium');
	});

	it('gives a rhythm as regular as a clock a deviation of at least 100 ms', () => {
		const clockwork: RhythmReading = {count: 50, meanMs: 200, deviationMs: 0};
		expect(cadenceSignal(250, clockwork, 8, 0)!.value).toBe(Math.round(phi(250, 200, 100) * 10) / 10);
	});
});
