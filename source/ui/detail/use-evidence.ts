import {useMemo} from 'react';
import path from 'node:path';
import {listEvidence, readEvidence} from '../../sentinel/act/evidence/evidence-folder.js';
import {evidenceLines} from '../../sentinel/act/evidence/evidence-text.js';
import {compareText} from '../../text/compare-text.js';
import {sanitize} from '../../text/sanitize.js';
import type {AuditEntry} from '../../types.js';
import type {Segment} from '../Line.js';

/** The evidence files of the job's past recover and terminate entries (newest last), newest first, each once. */
export function evidenceFiles(audit: readonly AuditEntry[]): string[] {
	const files = new Set<string>();
	for (let index = audit.length - 1; index >= 0; index--) {
		const entry = audit[index]!;
		const file = entry['evidence_file'];
		if ((entry.action === 'recover' || entry.action === 'terminate') && typeof file === 'string') files.add(file);
	}
	return [...files];
}

/**
 * The job's evidence files from its folder (listEvidence: the newest 20, names only), read when
 * the detail view opens on `jobDir`, not each frame; none for null (no detail view, or a fleet job,
 * whose folder is on its host).
 */
export function useEvidenceFolder(jobDir: string | null): readonly string[] {
	return useMemo(() => (jobDir === null ? [] : listEvidence(jobDir)), [jobDir]);
}

/** The job's evidence, newest first: the files its audit entries held here name, and those in its folder, each once. */
export function jobEvidence(audit: readonly AuditEntry[], folder: readonly string[]): string[] {
	// Names sort by the time they were taken.
	return [...new Set([...evidenceFiles(audit), ...folder])].sort((a, b) => compareText(path.basename(b), path.basename(a)));
}

/** What `e` opens: the newest evidence when none is open, else the next older one (after the oldest, the newest again); null when none was kept. */
export function nextEvidenceFile(files: readonly string[], open: string | null): string | null {
	if (files.length === 0) return null;
	const index = open === null ? -1 : files.indexOf(open);
	return files[(index + 1) % files.length]!;
}

// One line whatever went wrong: the file gone, over the size limit, a link or not a file in its place.
function bodyOf(file: string): string[] {
	try {
		const content = readEvidence(file);
		return content === null ? ['The evidence file is gone.'] : evidenceLines(JSON.parse(content.toString('utf8')));
	} catch (error) {
		return [`The evidence file cannot be read: ${sanitize(error instanceof Error ? error.message : String(error))}`];
	}
}

/**
 * The lines of evidence file `file`, one of the job's `files` (newest first): read once, when it is
 * opened (at most 1 MiB, every string sanitised); null while none is open.
 */
export function useEvidence(file: string | null, files: readonly string[]): Segment[][] | null {
	const body = useMemo(() => (file === null ? null : bodyOf(file)), [file]);
	const index = file === null ? -1 : files.indexOf(file);
	const count = files.length;
	return useMemo(() => {
		if (file === null || body === null) return null;
		// Which of the job's stops this was, and what `e` does next.
		const position = index < 0 ? '' : ` ${index + 1} of ${count}`;
		const keys = count > 1 ? `e: ${index === count - 1 ? 'the newest again' : 'the next older'}, Esc: back to the job` : 'Esc: back to the job';
		// The keys before the path, which a narrow screen cuts.
		return [[{text: `Evidence${position} `, bold: true}, {text: `(${keys})  ${sanitize(file)}`, dim: true}], [], ...body.map(line => [{text: line}])];
	}, [file, body, index, count]);
}
