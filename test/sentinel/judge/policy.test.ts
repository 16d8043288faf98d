import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {decide, type EpisodeState, type PlannedAction, type PolicyInput} from '../../../source/sentinel/judge/policy.js';
import {severities, type Severity} from '../../../source/types.js';

const start = Date.UTC(2025, 5, 1, 12, 0, 0);
const tick = 2000;

function input(fields: Partial<PolicyInput> & {severity: Severity}): PolicyInput {
	return {previous: null, now: start, paused: false, auto: true, recoveriesLastHour: 0, interventionsLastHour: 0, maxInterventions: 5, ...fields};
}

/** Feed one job's severities tick by tick, carrying the episode; returns each tick's actions. */
function walk(steps: Array<Severity | (Partial<PolicyInput> & {severity: Severity})>): {actions: PlannedAction[][]; episodes: Array<EpisodeState | null>} {
	let previous: EpisodeState | null = null;
	const actions: PlannedAction[][] = [];
	const episodes: Array<EpisodeState | null> = [];
	for (const [index, step] of steps.entries()) {
		const fields = typeof step === 'string' ? {severity: step} : step;
		const decision = decide(input({previous, now: start + index * tick, ...fields}));
		previous = decision.episode;
		actions.push(decision.actions);
		episodes.push(decision.episode);
	}
	return {actions, episodes};
}

/** Each tick's actions as `action@tier`, with `(skipped)` for those held back. */
function names(actions: PlannedAction[][]): string[][] {
	return actions.map(list => list.map(item => `${item.action}@${item.tier}${item.skipped ? ' (skipped)' : ''}`));
}

describe('decide: the ladder', () => {
	it('climbs low, medium, high, critical: none, notify, recover, terminate', () => {
		const {actions} = walk(['ok', 'low', 'medium', 'high', 'critical']);
		expect(names(actions)).toEqual([[], [], ['notify@medium'], ['recover@high'], ['terminate@critical']]);
	});

	it('runs each tier once per episode', () => {
		const {actions} = walk(['medium', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
		expect(names(actions)).toEqual([['notify@medium'], [], [], ['recover@high'], [], ['terminate@critical'], []]);
	});

	it('does not run tiers jumped over in one tick', () => {
		expect(names(walk(['critical']).actions)).toEqual([['terminate@critical']]);
		expect(names(walk(['low', 'high', 'critical']).actions)).toEqual([[], ['recover@high'], ['terminate@critical']]);
	});

	it('runs nothing new when severity falls back within the episode', () => {
		const {actions} = walk(['high', 'medium', 'low', 'medium', 'high']);
		expect(names(actions)).toEqual([['recover@high'], [], [], [], []]);
	});

	it('keeps the episode start and ends the episode at ok', () => {
		const {episodes} = walk(['low', 'medium', 'ok']);
		expect(episodes[0]?.startedAt).toBe(start);
		expect(episodes[1]?.startedAt).toBe(start);
		expect(episodes[1]?.tiersDone).toEqual(['low', 'medium']);
		expect(episodes[2]).toBeNull();
	});

	it('starts a new episode after ok, where every tier runs again', () => {
		const {actions, episodes} = walk(['medium', 'high', 'ok', 'medium', 'high']);
		expect(names(actions)).toEqual([['notify@medium'], ['recover@high'], [], ['notify@medium'], ['recover@high']]);
		expect(episodes[3]?.startedAt).toBe(start + 3 * tick);
	});

	it('starts afresh when the engine passes no previous episode (after a recovery)', () => {
		const first = decide(input({severity: 'high'}));
		expect(first.actions.map(item => item.action)).toEqual(['recover']);
		const again = decide(input({severity: 'high', previous: null, now: start + tick, recoveriesLastHour: 1}));
		expect(again.actions.map(item => item.action)).toEqual(['recover']);
	});

	it('follows a custom ladder', () => {
		const ladder = {low: 'notify', medium: null, high: 'terminate', critical: 'terminate'} as const;
		const {actions} = walk([{severity: 'low', ladder}, {severity: 'medium', ladder}, {severity: 'high', ladder}, {severity: 'critical', ladder}]);
		expect(names(actions)).toEqual([['notify@low'], [], ['terminate@high'], ['terminate@critical']]);
	});

	it('gives every action a reason', () => {
		const [action] = decide(input({severity: 'medium'})).actions;
		expect(action).toEqual({action: 'notify', tier: 'medium', reason: 'reached medium'});
	});

	it('never changes the episode it is given', () => {
		const previous: EpisodeState = Object.freeze({startedAt: start, tiersDone: Object.freeze(['low']) as never, tiersLimited: Object.freeze([]) as never});
		const decision = decide(input({severity: 'high', previous}));
		expect(previous).toEqual({startedAt: start, tiersDone: ['low'], tiersLimited: []});
		expect(decision.episode).toEqual({startedAt: start, tiersDone: ['low', 'medium', 'high'], tiersLimited: []});
	});
});

describe('decide: repeated recoveries', () => {
	it('recovers for the first three automatic recoveries within the hour', () => {
		for (const recoveriesLastHour of [0, 1, 2]) {
			expect(decide(input({severity: 'high', recoveriesLastHour})).actions.map(item => item.action)).toEqual(['recover']);
		}
	});

	it('terminates instead of a fourth recovery, and says why', () => {
		const [action] = decide(input({severity: 'high', recoveriesLastHour: 3})).actions;
		expect(action).toMatchObject({action: 'terminate', tier: 'high'});
		expect(action?.reason).toMatch(/3 automatic recoveries within the hour/);
		expect(decide(input({severity: 'high', recoveriesLastHour: 7})).actions.map(item => item.action)).toEqual(['terminate']);
	});
});

describe('decide: the hourly limit', () => {
	const limited = {interventionsLastHour: 5, maxInterventions: 5};

	it('skips a recover past the limit and sends a notify instead', () => {
		const {actions} = decide(input({severity: 'high', ...limited}));
		expect(actions).toEqual([
			{action: 'recover', tier: 'high', reason: 'reached high', skipped: 'limit: 5 automatic interventions in the last hour (max 5)'},
			{action: 'notify', tier: 'high', reason: 'recover skipped, limit: 5 automatic interventions in the last hour (max 5)'},
		]);
	});

	it('skips a terminate past the limit, including one replacing a fourth recovery', () => {
		expect(names([decide(input({severity: 'critical', ...limited})).actions])).toEqual([['terminate@critical (skipped)', 'notify@critical']]);
		expect(names([decide(input({severity: 'high', recoveriesLastHour: 3, ...limited})).actions])).toEqual([['terminate@high (skipped)', 'notify@high']]);
	});

	it('runs the skipped action on a later tick once the limit allows, and only once', () => {
		const {actions} = walk([
			{severity: 'high', ...limited},
			{severity: 'high', ...limited},
			{severity: 'high', interventionsLastHour: 6, maxInterventions: 5},
			{severity: 'high', interventionsLastHour: 4, maxInterventions: 5},
			{severity: 'high', interventionsLastHour: 0, maxInterventions: 5},
		]);
		expect(names(actions)).toEqual([['recover@high (skipped)', 'notify@high'], [], [], ['recover@high'], []]);
	});

	it('runs the skipped tier when the job returns to it within the episode', () => {
		const {actions} = walk([{severity: 'high', ...limited}, {severity: 'medium'}, {severity: 'high'}]);
		expect(names(actions)).toEqual([['recover@high (skipped)', 'notify@high'], [], ['recover@high']]);
	});

	it('skips and notifies once per tier: a higher tier past the limit says so again', () => {
		const {actions} = walk([{severity: 'high', ...limited}, {severity: 'critical', ...limited}, {severity: 'critical', ...limited}, {severity: 'critical'}]);
		expect(names(actions)).toEqual([['recover@high (skipped)', 'notify@high'], ['terminate@critical (skipped)', 'notify@critical'], [], ['terminate@critical']]);
	});

	it('never limits a notify', () => {
		expect(names(walk([{severity: 'medium', interventionsLastHour: 50, maxInterventions: 5}]).actions)).toEqual([['notify@medium']]);
		expect(names(walk([{severity: 'medium', maxInterventions: 0}]).actions)).toEqual([['notify@medium']]);
	});

	it('with a limit of zero, never recovers or terminates', () => {
		const {actions} = walk([{severity: 'high', maxInterventions: 0}, {severity: 'critical', maxInterventions: 0}]);
		expect(names(actions)).toEqual([['recover@high (skipped)', 'notify@high'], ['terminate@critical (skipped)', 'notify@critical']]);
	});
});

describe('decide: paused and auto off', () => {
	for (const held of [{paused: true}, {auto: false}]) {
		const label = 'paused' in held ? 'paused' : 'auto off';

		it(`${label}: plans nothing, but keeps the episode`, () => {
			const {actions, episodes} = walk([{severity: 'medium', ...held}, {severity: 'critical', ...held}, {severity: 'ok', ...held}]);
			expect(names(actions)).toEqual([[], [], []]);
			expect(episodes[1]).toEqual({startedAt: start, tiersDone: [], tiersLimited: []});
			expect(episodes[2]).toBeNull();
		});

		it(`${label}: the held tier runs once action is allowed again`, () => {
			const {actions} = walk([{severity: 'high', ...held}, {severity: 'high', ...held}, {severity: 'high'}, {severity: 'high'}]);
			expect(names(actions)).toEqual([[], [], ['recover@high'], []]);
		});
	}
});

describe('decide: properties', () => {
	const severity = fc.constantFrom(...severities);
	const tickInput = fc.record({
		severity,
		paused: fc.boolean(),
		auto: fc.boolean(),
		interventionsLastHour: fc.integer({min: 0, max: 8}),
		recoveriesLastHour: fc.integer({min: 0, max: 5}),
	});

	it('within one episode, each tier runs at most once and actions only escalate', () => {
		fc.assert(
			fc.property(fc.array(tickInput, {maxLength: 40}), ticks => {
				let previous: EpisodeState | null = null;
				let ran: Severity[] = [];
				let notices: Severity[] = [];
				for (const [index, fields] of ticks.entries()) {
					const decision = decide(input({...fields, previous, now: start + index * tick, maxInterventions: 5}));
					if (decision.episode === null) {
						ran = [];
						notices = [];
					}
					for (const action of decision.actions) {
						if (action.skipped) {
							expect(notices).not.toContain(action.tier);
							notices.push(action.tier);
							continue;
						}
						if (action.reason.startsWith('recover skipped') || action.reason.startsWith('terminate skipped')) continue;
						expect(ran).not.toContain(action.tier);
						const highest = ran.at(-1);
						if (highest) expect(severities.indexOf(action.tier)).toBeGreaterThan(severities.indexOf(highest));
						ran.push(action.tier);
					}
					if (fields.paused || !fields.auto) expect(decision.actions).toEqual([]);
					previous = decision.episode;
				}
			}),
		);
	});
});
