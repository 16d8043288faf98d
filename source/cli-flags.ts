import {optionSpecs, flagName} from './config/options.js';
import type {RawOptions} from './config/load-config.js';

type MeowFlag = {type: 'string' | 'boolean' | 'number'; shortFlag?: string; isMultiple?: boolean};

/** Flags of the commands themselves, beside the engine's options. */
const commandFlags: Record<string, MeowFlag> = {
	headless: {type: 'boolean'},
	json: {type: 'boolean'},
	yes: {type: 'boolean'},
	follow: {type: 'boolean', shortFlag: 'f'},
	evidence: {type: 'string'},
	id: {type: 'string'},
	role: {type: 'string'},
	retries: {type: 'string'},
	auto: {type: 'boolean'},
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean'},
};

/** meow's flag table: every option of the one option table, plus the commands' own flags. */
export function meowFlags(): Record<string, MeowFlag> {
	const flags: Record<string, MeowFlag> = {...commandFlags};
	for (const spec of optionSpecs) {
		// `--no-auto` is meow's negation of `--auto`; the option is called noAuto in files.
		if (spec.name === 'noAuto') continue;
		flags[spec.name] = {type: spec.kind === 'flag' ? 'boolean' : 'string'};
	}
	return flags;
}

/** The first flag meow did not know, spelled as typed, or null. */
export function unknownFlag(flags: Record<string, unknown>): string | null {
	const known = new Set([...Object.keys(meowFlags()), 'f', 'h', 'noAuto']);
	for (const name of Object.keys(flags)) {
		// meow keeps no dashes: a one-letter name was most likely typed as a short flag.
		if (!known.has(name)) return name.length === 1 ? `-${name}` : `--${flagName(name)}`;
	}
	return null;
}

/** The first option given without a value (`--interval` at the end, `--interval=`), or null. */
export function emptyFlag(raw: RawOptions): string | null {
	for (const [name, value] of Object.entries(raw)) {
		if (typeof value === 'string' && value.trim() === '') return `--${flagName(name)}`;
	}
	return null;
}

/** Flags as raw config values: only those given, `--no-auto` as noAuto. */
export function configFlags(flags: Record<string, unknown>): RawOptions {
	const raw: RawOptions = {};
	for (const spec of optionSpecs) {
		if (spec.name === 'noAuto') continue;
		if (flags[spec.name] !== undefined) raw[spec.name] = flags[spec.name];
	}
	if (flags['auto'] === false) raw['noAuto'] = true;
	if (flags['auto'] === true) raw['noAuto'] = false;
	return raw;
}
