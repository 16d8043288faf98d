import type {Diagnosis, Severity, Signal} from '../../types.js';

/** The last signal made of each diagnosis (which the diagnosis keeps while its job's tree stands still). */
const made = new WeakMap<Diagnosis, DiagnosisSignal>();

const raisedByInput = {ok: 'ok', low: 'medium', medium: 'high', high: 'critical', critical: 'critical'} as const satisfies Record<Severity, Severity>;

/** The most of a command line a message quotes; the diagnosis itself keeps it whole. */
const quotedCommand = 60;

/** `pid 123 (python3 prompt.py)`: who the diagnosis names. */
export function diagnosisSubject(diagnosis: Diagnosis): string {
	if (diagnosis.pid === null) return '';
	const command = diagnosis.command === null ? '' : [...diagnosis.command].slice(0, quotedCommand).join('') + (diagnosis.command.length > quotedCommand ? '…' : '');
	return command === '' ? `pid ${diagnosis.pid}` : `pid ${diagnosis.pid} (${command})`;
}

/** `waiting-for-input: pid 123 (python3 prompt.py) reads its standard input, ...`: the diagnosis in one line. */
export function diagnosisLine(diagnosis: Diagnosis): string {
	const subject = diagnosisSubject(diagnosis);
	return `${diagnosis.kind}: ${subject}${subject !== '' && diagnosis.detail !== '' ? ' ' : ''}${diagnosis.detail}`;
}

/**
 * The diagnosis as evidence (SPEC section 12), so audit entries and notify payloads carry it:
 * value the kind, the whole diagnosis beside. Waiting for input raises the silence tier by one
 * (SPEC section 4), as a busy hang does: this signal carries the raised tier, and the silence
 * signal keeps the plain one. Every other kind is `ok`: it explains, it does not judge. The
 * message is written when read, as the other signals' are.
 */
export class DiagnosisSignal implements Signal {
	readonly name = 'diagnosis';
	readonly severity: Severity;
	readonly value: string;
	readonly threshold = 'waiting-for-input';
	readonly #silence: Severity;

	/** The diagnosis's signal against this silence: the one made before while neither changed. */
	static of(diagnosis: Diagnosis, silence: Signal): DiagnosisSignal {
		const known = made.get(diagnosis);
		if (known && known.#silence === silence.severity) return known;
		const signal = new DiagnosisSignal(diagnosis, silence);
		made.set(diagnosis, signal);
		return signal;
	}

	constructor(
		readonly diagnosis: Diagnosis,
		silence: Signal,
	) {
		const prompt = diagnosis.kind === 'waiting-for-input';
		this.severity = prompt ? raisedByInput[silence.severity] : 'ok';
		this.value = diagnosis.kind;
		this.#silence = silence.severity;
	}

	get message(): string {
		const line = diagnosisLine(this.diagnosis);
		if (this.diagnosis.kind !== 'waiting-for-input') return line;
		if (this.#silence === 'ok') return `${line}; raises the silence tier by one once silent long enough`;
		const outcome = this.severity === this.#silence ? `already ${this.severity}` : `silence ${this.#silence} raised to ${this.severity}`;
		return `${line}; a prompt nobody answers: ${outcome}`;
	}

	toJSON(): Signal & {diagnosis: Diagnosis} {
		return {name: this.name, severity: this.severity, value: this.value, threshold: this.threshold, message: this.message, diagnosis: this.diagnosis};
	}
}
