import {afterEach, describe, expect, it, vi} from 'vitest';
import {queriesPerRound} from '../../source/fleet/fleet-round.js';
import {fleetSnapshot, startTestFleet} from '../helpers/fleet.js';
import {serveHttp} from '../helpers/http-server.js';

/** The queries of one refresh, sent together. */
const round = queriesPerRound;

afterEach(() => {
	vi.useRealTimers();
});

describe('a Prometheus that does not answer', () => {
	it('is said after 5 s, no refresh overlaps the one under way, and a stop does not wait for it', async () => {
		// Only the fleet's own timers are faked: the sockets are real.
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const waiting: Array<() => void> = [];
		let asked = 0;
		const url = await serveHttp(() => {
			asked++;
			for (const wake of waiting.splice(0)) wake();
		});
		const askedFor = async (count: number) => {
			while (asked < count) await new Promise<void>(resolve => waiting.push(resolve));
		};
		const fleet = startTestFleet({prometheus: url, intervalMs: 1000});

		await askedFor(round);
		await vi.advanceTimersByTimeAsync(4900);
		expect(asked).toBe(round);
		expect(fleet.getSnapshot().fleet).toMatchObject({problem: null, hosts: []});
		await vi.advanceTimersByTimeAsync(100);
		const said = await fleetSnapshot(fleet, snapshot => snapshot.fleet!.problem !== null);
		expect(said.fleet!.problem).toBe(`Prometheus at ${url} did not answer within 5 s; showing the last data, stale`);
		// The next refresh comes an interval after the slow one began, not on top of it.
		expect(asked).toBe(round);
		await vi.advanceTimersByTimeAsync(1000);
		await askedFor(2 * round);
		expect(asked).toBe(2 * round);
		// Stopping leaves the unanswered queries: the dashboard quits at once, not 5 s later.
		await fleet.stop();
		expect(fleet.getSnapshot().fleet!.problem).toBe(said.fleet!.problem);
	});

	it("says what an erring Prometheus answered, sanitised, and never the URL's password", async () => {
		const url = await serveHttp((_request, response) => response.writeHead(503, {'content-type': 'application/json'}).end(JSON.stringify({status: 'error', error: 'overloaded \u001B[2J\u001B]0;title\u0007now'})));
		const port = new URL(url).port;
		const fleet = startTestFleet({prometheus: `http://ops:secret@127.0.0.1:${port}/`, intervalMs: 1000});
		const said = await fleetSnapshot(fleet, snapshot => snapshot.fleet!.problem !== null);
		expect(said.fleet!.problem).toBe(`Prometheus at http://127.0.0.1:${port} answered HTTP 503: overloaded now; showing the last data, stale`);
		expect(said.fleet!.prometheus).toBe(`http://127.0.0.1:${port}`);
		expect(said.jobsDir).toBe(`http://127.0.0.1:${port}`);
	});
});
