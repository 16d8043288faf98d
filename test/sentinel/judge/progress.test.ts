import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {LineJudge, recentLines, sampleLength} from '../../../source/sentinel/judge/progress.js';

describe('LineJudge', () => {
	it('finds a line new once, and its repetitions (fresh stamps and ids) repeats, counted with a sample', () => {
		const judge = new LineJudge();
		expect(judge.judge('2025-11-30T13:12:10Z calling tool search (id toolu_01AbC9xYzQ7pLm3N)')).toBe(true);
		expect(judge.progress).toEqual({repeatsSinceNew: 0, sample: null});
		expect(judge.judge('2025-11-30T13:12:40Z calling tool search (id toolu_01QrT8vWx2KmN5pZ)')).toBe(false);
		expect(judge.judge('2025-11-30T13:13:10Z calling tool search (id toolu_01ZzY7uVw3JkL6qR)')).toBe(false);
		expect(judge.progress).toEqual({repeatsSinceNew: 2, sample: '2025-11-30T13:13:10Z calling tool search (id toolu_01ZzY7uVw3JkL6qR)'});
		expect(judge.judge('calling tool edit')).toBe(true);
		expect(judge.progress).toEqual({repeatsSinceNew: 0, sample: null});
	});

	it('judges a line with nothing left after normalising as nothing: neither new nor a repeat', () => {
		const judge = new LineJudge();
		expect(judge.judge('   ')).toBeNull();
		expect(judge.judge('\u001B[2K')).toBeNull();
		expect(judge.progress.repeatsSinceNew).toBe(0);
	});

	it('remembers the last 1,000 lines: a line older than that is new again', () => {
		const judge = new LineJudge();
		expect(judge.judge('the first step')).toBe(true);
		for (let step = 1; step < recentLines; step++) expect(judge.judge(`step ${step}`)).toBe(true);
		// 1,000 lines since: the first is still among them.
		expect(judge.judge('the first step')).toBe(false);
		// Now 'step 1' is the oldest; one more line pushes it out.
		expect(judge.judge('step 1')).toBe(false);
		for (let step = 1000; step < 2000; step++) judge.judge(`step ${step}`);
		expect(judge.judge('the first step')).toBe(true);
	});

	it('keeps the sample sanitised and at most 120 characters, never half of a surrogate pair', () => {
		const judge = new LineJudge();
		const long = `\u001B[31m${'x'.repeat(119)}😀 tail\u0007`;
		judge.judge(long);
		judge.judge(long);
		expect(judge.progress.sample).toBe('x'.repeat(119));
		expect(judge.progress.sample!.length).toBeLessThanOrEqual(sampleLength);
	});

	it('writes into the progress object it was given (the job state holds it)', () => {
		const progress = {repeatsSinceNew: 0, sample: null};
		const judge = new LineJudge(progress);
		judge.judge('a');
		judge.judge('a');
		expect(progress).toEqual({repeatsSinceNew: 1, sample: 'a'});
	});

	it('counts as new exactly the lines whose normalised form is not among the last 1,000 (against a plain list)', () => {
		fc.assert(
			// Steps drawn from a range wider than the window, so lines leave it and come back.
			fc.property(fc.array(fc.integer({min: 0, max: 1500}), {maxLength: 3000}), steps => {
				const judge = new LineJudge();
				const seen: string[] = [];
				for (const step of steps) {
					const line = `step ${step}`;
					const expected = !seen.slice(-recentLines).includes(line);
					if (judge.judge(line) !== expected) return false;
					seen.push(line);
				}
				return true;
			}),
			{numRuns: 30},
		);
	});
});
