/**
 * Writes one JSON object a line. A reader that went away (EPIPE: `| head`) ends the output
 * quietly instead of crashing the sentinel.
 */
export class JsonLines {
    out;
    closed = false;
    constructor(out) {
        this.out = out;
        out.on('error', () => {
            this.closed = true;
        });
    }
    write(type, fields = {}) {
        if (this.closed)
            return;
        try {
            this.out.write(`${JSON.stringify({ ts: new Date().toISOString(), type, ...fields })}\n`);
        }
        catch {
            this.closed = true;
        }
    }
}
