import type http from 'node:http';
import {describe, expect, it} from 'vitest';
import {queryPrometheus} from '../../source/fleet/prometheus-api.js';
import {serveHttp} from '../helpers/http-server.js';
import {freePort} from '../helpers/metrics.js';

const json = (status: number, body: unknown) => (response: http.ServerResponse) => response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));

describe('asking Prometheus', () => {
	it('gives the result of a successful query, asked under the base URL with the query encoded', async () => {
		let asked = '';
		const url = await serveHttp((_request, response) => {
			asked = response.req.url ?? '';
			json(200, {status: 'success', data: {resultType: 'vector', result: [{metric: {}, value: [1, '2']}]}})(response);
		});
		expect(await queryPrometheus(`${url}/prefix`, 'api/v1/query', {query: 'up{job="a b"}'})).toEqual([{metric: {}, value: [1, '2']}]);
		expect(new URL(asked, url).pathname).toBe('/prefix/api/v1/query');
		expect(new URL(asked, url).searchParams.get('query')).toBe('up{job="a b"}');
	});

	it.each([
		['an HTTP error with its message', json(503, {status: 'error', errorType: 'unavailable', error: 'too busy'}), 'answered HTTP 503: too busy'],
		['an error status', json(200, {status: 'error', error: 'parse error'}), 'answered parse error'],
		['HTTP error without JSON', (response: http.ServerResponse) => response.writeHead(502).end('<html>bad gateway</html>'), 'answered HTTP 502'],
		['something that is not JSON', (response: http.ServerResponse) => response.writeHead(200).end('hello'), 'answered something that is not JSON'],
		['no result', json(200, {status: 'success', data: {}}), 'answered without a result'],
	])('says %s', async (_name, answer, said) => {
		const url = await serveHttp((_request, response) => answer(response));
		await expect(queryPrometheus(url, 'api/v1/query', {query: 'up'})).rejects.toThrow(said);
	});

	it('gives up on an answer that does not come in time', async () => {
		const url = await serveHttp(() => {});
		await expect(queryPrometheus(url, 'api/v1/query', {query: 'up'}, {timeoutMs: 200})).rejects.toThrow('did not answer within 0.2 s');
	});

	it('says a Prometheus nobody listens for is unreachable', async () => {
		await expect(queryPrometheus(`http://127.0.0.1:${await freePort()}`, 'api/v1/query', {query: 'up'})).rejects.toThrow('is unreachable (ECONNREFUSED)');
	});
});
