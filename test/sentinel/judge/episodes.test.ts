import {describe, expect, it} from 'vitest';
import {Episodes} from '../../../source/sentinel/judge/episodes.js';

const tick = (severity: 'ok' | 'low' | 'medium' | 'high', now = 1000) => ({severity, now, paused: false, auto: true, recoveriesLastHour: 0, interventionsLastHour: 0, maxInterventions: 5});

describe('each job\'s episode, kept beside the policy', () => {
	it('carries a job\'s episode from tick to tick, so a tier acts once', () => {
		const episodes = new Episodes();
		expect(episodes.decide('/j/a', tick('medium')).actions.map(planned => planned.action)).toEqual(['notify']);
		expect(episodes.decide('/j/a', tick('medium', 2000)).actions).toEqual([]);
		// Another job has an episode of its own.
		expect(episodes.decide('/j/b', tick('medium')).actions.map(planned => planned.action)).toEqual(['notify']);
	});

	it('plans a tier again when its action did not begin, and afresh once the episode ends', () => {
		const episodes = new Episodes();
		const first = episodes.decide('/j/a', tick('high'));
		expect(first.actions.map(planned => planned.action)).toEqual(['recover']);
		episodes.restore('/j/a', first.previous);
		expect(episodes.decide('/j/a', tick('high', 2000)).actions.map(planned => planned.action)).toEqual(['recover']);
		episodes.end('/j/a');
		expect(episodes.decide('/j/a', tick('high', 3000)).previous).toBeNull();
	});

	it('forgets the jobs that are gone', () => {
		const episodes = new Episodes();
		episodes.decide('/j/a', tick('low'));
		episodes.decide('/j/b', tick('low'));
		episodes.keepOnly([{record: {dir: '/j/b'}}]);
		expect(episodes.decide('/j/a', tick('low', 2000)).previous).toBeNull();
		expect(episodes.decide('/j/b', tick('low', 2000)).previous).toMatchObject({startedAt: 1000});
	});
});
