import {useMemo} from 'react';
import {readEvidence} from '../../sentinel/act/evidence/evidence-folder.js';
import {evidenceLines} from '../../sentinel/act/evidence/evidence-text.js';
import {sanitize} from '../../text/sanitize.js';
import type {AuditEntry} from '../../types.js';
import type {Segment} from '../Line.js';

/** The evidence file of the job's latest stop that kept one, from its audit entries (newest last); null when none did. */
export function lastEvidenceFile(audit: readonly AuditEntry[]): string | null {
	const file = audit.findLast(entry => typeof entry['evidence_file'] === 'string')?.['evidence_file'];
	return typeof file === 'string' ? file : null;
}

function linesOf(file: string): Segment[][] {
	let body: string[];
	try {
		const content = readEvidence(file);
		body = content === null ? ['The evidence file is gone.'] : evidenceLines(JSON.parse(content.toString('utf8')));
	} catch (error) {
		body = [`The evidence file cannot be read: ${error instanceof Error ? error.message : String(error)}`];
	}
	return [[{text: 'Evidence ', bold: true}, {text: `${sanitize(file)}  (Esc: back to the job)`, dim: true}], [], ...body.map(line => [{text: line}])];
}

/** The lines of evidence file `file` (read once, when it is opened: at most 1 MiB, every string sanitised); null while none is open. */
export function useEvidence(file: string | null): Segment[][] | null {
	return useMemo(() => (file === null ? null : linesOf(file)), [file]);
}
