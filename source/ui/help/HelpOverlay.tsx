import {Box} from 'ink';
import type {Glyphs} from '../glyphs.js';
import {keysLabel, keysOf} from '../keymap.js';
import {Line, type Segment} from '../Line.js';
import {fitTo} from '../text.js';

const keysWidth = 10;

/** The help overlay's key lines: one per keymap entry of `context`, keys then description. */
export function keyLines(glyphs: Glyphs, context: 'main' | 'detail' = 'main'): Segment[][] {
	const where = context === 'detail' ? 'In the detail view: ' : '';
	return keysOf(context).map(entry => [{text: fitTo(keysLabel(entry), keysWidth, glyphs.ellipsis), bold: true}, {text: ` ${where}${entry.description}`}]);
}

// What the screen shows that a newcomer cannot work out alone, each term as the header or table writes it.
const glossary: ReadonlyArray<{term: (glyphs: Glyphs) => string; says: string}> = [
	{term: () => 'actor', says: ': this sentinel holds the leader lock and acts on the jobs'},
	{term: () => 'observer', says: ': another sentinel acts (named), or none does; this one only watches'},
	{term: glyphs => glyphs.paused, says: ' before an id: a paused job, never acted on automatically (p resumes)'},
	{term: () => 'n/m interventions/h', says: ': n automatic actions in the last hour, m the limit'},
];

// The fleet view's own terms in place of the actor's (as many lines, so the overlay keeps its height).
const fleetGlossary: typeof glossary = [
	{term: () => 'HOST', says: ": the host whose sentinel reports the job; x, r and p run on it through --remote-command"},
	{term: glyphs => glyphs.stale, says: ' before a host: it is down or not scraped lately; the row shows its last known values'},
	{term: glyphs => glyphs.paused, says: ' before a host: a job paused from this view, never acted on automatically (p resumes)'},
	{term: () => 'host 3s', says: ': in the header, when Prometheus last scraped that host; stale once it stops'},
];

/** The help overlay's lines explaining the header's and the table's terms (the fleet view's own in it). */
export function glossaryLines(glyphs: Glyphs, fleet = false): Segment[][] {
	return (fleet ? fleetGlossary : glossary).map(({term, says}) => [{text: term(glyphs), bold: true}, {text: says}]);
}

const titles = 2;

/** Lines the whole overlay takes on a terminal tall enough for it. */
export const helpHeight = keysOf('main').length + keysOf('detail').length + glossary.length + titles;

/**
 * The overlay's lines for `height` rows: the keys, then the terms, each under a title when all
 * fit; on a shorter terminal the titles go first, then lines from the end.
 */
export function helpLines(glyphs: Glyphs, height = helpHeight, fleet = false): Segment[][] {
	const keys = keyLines(glyphs);
	const detailKeys = keyLines(glyphs, 'detail');
	const glossary = glossaryLines(glyphs, fleet);
	if (height >= helpHeight) return [[{text: 'Keys', bold: true, dim: true}], ...keys, ...detailKeys, [{text: 'On the screen', bold: true, dim: true}], ...glossary];
	// The detail view's own keys are said there too (its interventions mark `e`): they give way first.
	return [...keys, ...glossary, ...detailKeys].slice(0, Math.max(0, height));
}

export type HelpOverlayProps = {
	/** Terminal columns available. */
	width: number;
	/** Rows available; on a short terminal the list is cut. */
	height: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
	/** The fleet view: its own terms. */
	fleet?: boolean;
};

/**
 * Every binding of the keymap, drawn from the same table the keys are handled by, and what the
 * header's and the table's terms mean. No border: at 80x24 the two borders are the rows the terms need.
 */
export function HelpOverlay({width, height, glyphs, color, fleet = false}: HelpOverlayProps) {
	const inner = Math.max(0, width - 1);
	return (
		<Box flexDirection="column" paddingLeft={1}>
			{helpLines(glyphs, height, fleet).map((segments, index) => (
				<Line key={index} segments={segments} width={inner} ellipsis={glyphs.ellipsis} color={color} />
			))}
		</Box>
	);
}
