// The readme's screenshot, taken from the real dashboard: `sentinel-tui demo` in tmux, captured
// with its colours, drawn as SVG on a monospace grid and rasterised by rsvg-convert (Debian:
// librsvg2-bin) to test/e2e/dashboard.png. Needs dist/ built (`npm run screenshot` builds first).
// `npm run screenshot -- fleet`: the fleet view over three hosts instead (fleet-hosts.mjs), to
// test/e2e/fleet.png (docs/fleet.md).
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import stringWidth from 'string-width';
import {startFleetHosts} from './fleet-hosts.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = path.join(root, 'dist', 'bin', 'sentinel-tui.js');
const fleet = process.argv[2] === 'fleet';
const output = path.join(root, 'test', 'e2e', fleet ? 'fleet.png' : 'dashboard.png');
const size = fleet ? {columns: 120, rows: 24} : {columns: 120, rows: 36};
const windowTitle = fleet ? 'sentinel-tui fleet --prometheus http://prometheus:9090' : 'npx sentinel-tui demo';
// Long enough for the paused worker to turn critical while others are low, medium or recovered.
const settleMs = 40_000;
const giveUpMs = 80_000;

const font = {family: 'DejaVu Sans Mono', size: 14, advance: 0.6021, lineHeight: 18};
const theme = {background: '#1b1f27', foreground: '#d7dae0', title: '#12151b'};
// The 16 colours chalk (and so Ink) names: black red green yellow blue magenta cyan white, then bright.
const ansi16 = [
	'#3b4048', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#d7dae0',
	'#5c6370', '#ff7b86', '#b5e890', '#ffd68a', '#82c8ff', '#e28ff2', '#6fd3df', '#ffffff',
];

const hex = (...channels) => `#${channels.map(value => value.toString(16).padStart(2, '0')).join('')}`;

/** xterm's 256 colours: the 16 above, a 6x6x6 cube, then 24 greys. */
function color256(index) {
	if (index < 16) return ansi16[index];
	if (index < 232) {
		const level = value => (value === 0 ? 0 : 55 + value * 40);
		const cube = index - 16;
		return hex(level(Math.floor(cube / 36)), level(Math.floor(cube / 6) % 6), level(cube % 6));
	}
	const grey = 8 + (index - 232) * 10;
	return hex(grey, grey, grey);
}

/** Halfway from `color` to the background: how terminals show faint (SGR 2) text. */
function faint(color) {
	const mix = (from, to) => Math.round((parseInt(from, 16) + parseInt(to, 16)) / 2);
	const at = (value, offset) => value.slice(offset, offset + 2);
	return hex(...[1, 3, 5].map(offset => mix(at(color, offset), at(theme.background, offset))));
}

/** Apply one SGR sequence's parameters to the current style. */
function applySgr(style, parameters) {
	const codes = parameters === '' ? [0] : parameters.split(/[;:]/).map(Number);
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index];
		const extended = () => {
			const mode = codes[++index];
			if (mode === 5) return color256(codes[++index]);
			const rgb = codes.slice(index + 1, index + 4);
			index += 3;
			return hex(...rgb);
		};
		if (code === 0) Object.assign(style, {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false, underline: false});
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 4) style.underline = true;
		else if (code === 7) style.inverse = true;
		else if (code === 22) Object.assign(style, {bold: false, dim: false});
		else if (code === 24) style.underline = false;
		else if (code === 27) style.inverse = false;
		else if (code >= 30 && code <= 37) style.fg = ansi16[code - 30];
		else if (code === 38) style.fg = extended();
		else if (code === 39) style.fg = undefined;
		else if (code >= 40 && code <= 47) style.bg = ansi16[code - 40];
		else if (code === 48) style.bg = extended();
		else if (code === 49) style.bg = undefined;
		else if (code >= 90 && code <= 97) style.fg = ansi16[code - 90 + 8];
		else if (code >= 100 && code <= 107) style.bg = ansi16[code - 100 + 8];
	}
}

/** The colours and weight a cell is drawn with, inverse and faint resolved. */
function paint(style) {
	let fg = style.fg ?? theme.foreground;
	let bg = style.bg;
	if (style.inverse) [fg, bg] = [bg ?? theme.background, fg];
	return {fg: style.dim ? faint(fg) : fg, bg, bold: style.bold, underline: style.underline};
}

/** `capture-pane -e` text as rows of cells; tmux carries styles over from one line to the next. */
function parseCells(text) {
	const style = {};
	applySgr(style, '0');
	return text.split('\n').map(line => {
		const cells = [];
		for (const [, parameters, final, char] of line.matchAll(/\x1b\[([0-9;:?]*)([@-~])|\x1b.|([^\x1b])/gsu)) {
			if (final === 'm') applySgr(style, parameters);
			if (char === undefined) continue;
			const width = stringWidth(char);
			if (width === 0) continue;
			cells.push({char, width, ...paint(style)});
		}
		return cells;
	});
}

const escapeXml = text => text.replace(/[&<>"]/g, char => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[char]);

/** The screen as an SVG: a dark window, one rect per coloured cell, one text per run of one style. */
function toSvg(rows, columns) {
	const cell = font.size * font.advance;
	const pad = 14;
	const bar = 28;
	const width = Math.ceil(columns * cell + 2 * pad);
	const height = Math.ceil(rows.length * font.lineHeight + 2 * pad + bar);
	const parts = [];
	for (const [rowIndex, row] of rows.entries()) {
		const top = bar + pad + rowIndex * font.lineHeight;
		let column = 0;
		let run;
		const flush = () => {
			if (run && run.chars.trim() !== '') {
				const xs = run.xs.map(x => x.toFixed(2)).join(' ');
				const weight = run.bold ? ' font-weight="bold"' : '';
				const decoration = run.underline ? ' text-decoration="underline"' : '';
				parts.push(`<text x="${xs}" y="${(top + 13.5).toFixed(1)}" fill="${run.fg}"${weight}${decoration}>${escapeXml(run.chars)}</text>`);
			}
			run = undefined;
		};
		for (const item of row) {
			const x = pad + column * cell;
			if (item.bg) parts.unshift(`<rect x="${x.toFixed(2)}" y="${top}" width="${(item.width * cell + 0.6).toFixed(2)}" height="${font.lineHeight}" fill="${item.bg}"/>`);
			const same = run && run.fg === item.fg && run.bold === item.bold && run.underline === item.underline;
			if (!same) {
				flush();
				run = {fg: item.fg, bold: item.bold, underline: item.underline, chars: '', xs: []};
			}
			run.chars += item.char;
			run.xs.push(x);
			column += item.width;
		}
		flush();
	}
	const dots = ['#ff5f57', '#febc2e', '#28c840'].map((fill, index) => `<circle cx="${pad + 8 + index * 20}" cy="${bar / 2 + 2}" r="6" fill="${fill}"/>`);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="${width}" height="${height}" rx="8" fill="${theme.background}"/>`,
		`<path d="M0 8a8 8 0 0 1 8-8h${width - 16}a8 8 0 0 1 8 8v${bar - 4}h-${width}z" fill="${theme.title}"/>`,
		...dots,
		`<text x="${width / 2}" y="${bar / 2 + 6}" text-anchor="middle" font-family="${font.family}" font-size="13" fill="#8b929e">${escapeXml(windowTitle)}</text>`,
		`<g font-family="${font.family}" font-size="${font.size}" xml:space="preserve">`,
		...parts,
		'</g>',
		'</svg>',
	].join('\n');
}

/** Severities in the table's SEV column of a plain capture. */
function severitiesShown(pane) {
	const lines = pane.split('\n').map(line => Array.from(line));
	const header = lines.findIndex(line => /\bID\b.*\bSEV/.test(line.join('')));
	if (header === -1) return new Set();
	const column = lines[header].join('').indexOf('SEV');
	const words = lines.slice(header + 1).map(line => line.slice(column).join('').split(' ')[0]);
	return new Set(words.filter(word => ['ok', 'low', 'medium', 'high', 'critical', 'invalid'].includes(word)));
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function main() {
	if (!fs.existsSync(cliPath)) throw new Error('dist/bin/sentinel-tui.js is missing: run `npm run build` first');
	if (spawnSync('rsvg-convert', ['--version']).status !== 0) throw new Error('rsvg-convert is missing: apt-get install -y librsvg2-bin');

	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-screenshot-'));
	const socket = `sentinel-screenshot-${process.pid}`;
	const env = {...process.env, HOME: home, LANG: 'C.UTF-8'};
	for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'TMUX', 'NO_COLOR', 'LC_ALL', 'LC_CTYPE']) delete env[name];
	for (const name of Object.keys(env)) if (/^(SENTINEL_|LOGIST_)/.test(name)) delete env[name];
	const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const alive = () => spawnSync('tmux', ['-L', socket, 'has-session', '-t', 'main'], {env}).status === 0;
	const cleanUp = () => {
		spawnSync('tmux', ['-L', socket, 'kill-server'], {env});
		fs.rmSync(path.join(env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid()}`, socket), {force: true});
		fs.rmSync(home, {recursive: true, force: true});
	};
	// Ctrl-C here: killing the server hangs up on the demo, which then removes its jobs.
	process.once('SIGINT', () => {
		cleanUp();
		process.exit(130);
	});

	let hosts;
	try {
		if (fleet) {
			hosts = await startFleetHosts();
			tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), '--', cliPath, 'fleet', '--prometheus', hosts.prometheus, '--interval', '1s');
			await hosts.oneStale(() => tmux('capture-pane', '-p', '-t', 'main'));
		} else {
			tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), '--', cliPath, 'demo');
			const start = Date.now();
			await sleep(settleMs);
			// A busy machine may be slow: wait on until the table shows critical and a spread below it.
			while (Date.now() - start < giveUpMs) {
				const shown = severitiesShown(tmux('capture-pane', '-p', '-t', 'main'));
				if (shown.has('critical') && shown.size >= 4) break;
				await sleep(500);
			}
		}
		const captured = tmux('capture-pane', '-e', '-p', '-t', 'main');
		const rows = parseCells(captured.replace(/\n$/, ''));
		// The dashboard draws only the rows it needs: drop the empty terminal below it.
		while (rows.length > 0 && rows.at(-1).every(cell => cell.char === ' ' && !cell.bg)) rows.pop();
		const svgFile = path.join(home, 'screen.svg');
		fs.writeFileSync(svgFile, toSvg(rows, size.columns));
		execFileSync('rsvg-convert', ['--zoom', '1.5', '--format', 'png', '--output', output, svgFile]);
		process.stdout.write(`wrote ${path.relative(process.cwd(), output)} (${Math.round(fs.statSync(output).size / 1024)} KB)\n`);

		tmux('send-keys', '-t', 'main', 'q');
		for (let waited = 0; waited < 15_000 && alive(); waited += 200) await sleep(200);
	} finally {
		cleanUp();
		hosts?.stop();
	}
}

main().catch(error => {
	process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
