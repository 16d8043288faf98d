import type {Writable} from 'node:stream';
import {terminalSafeJson} from '../../text/safe-json.js';

/**
 * Writes one JSON object a line, no control or bidi character raw (a folder name reaches a
 * terminal as an escape, and parses back whole). A reader that went away (EPIPE: `| head`) ends the output
 * quietly instead of crashing the sentinel.
 */
export class JsonLines {
	closed = false;

	constructor(private readonly out: Writable) {
		out.on('error', () => {
			this.closed = true;
		});
	}

	write(type: string, fields: Record<string, unknown> = {}): void {
		if (this.closed) return;
		try {
			this.out.write(`${terminalSafeJson({ts: new Date().toISOString(), type, ...fields})}\n`);
		} catch {
			this.closed = true;
		}
	}
}
