import type {Writable} from 'node:stream';

/**
 * Writes one JSON object a line. A reader that went away (EPIPE: `| head`) ends the output
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
			this.out.write(`${JSON.stringify({ts: new Date().toISOString(), type, ...fields})}\n`);
		} catch {
			this.closed = true;
		}
	}
}
