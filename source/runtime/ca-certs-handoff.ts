/**
 * Node reads every certificate named by NODE_EXTRA_CA_CERTS as it starts, before any JavaScript
 * runs: for a system bundle, some 40 ms of the first frame and 3-4 MB that stay (docs/design.md).
 * The sentinel opens no TLS connection, so the program's first line (rolldown.config.js, the banner) moves the variable
 * aside to this name before it starts node. The commands the sentinel starts (`run`, notify hooks,
 * the demo's jobs) must see the operator's environment unchanged: `restoreCaCerts` puts it back
 * before any of them starts.
 */
export const caCertsHandoff = 'SENTINEL_TUI_NODE_EXTRA_CA_CERTS';

/** Put NODE_EXTRA_CA_CERTS back as the operator set it, if the program's first line moved it. */
export function restoreCaCerts(env: NodeJS.ProcessEnv = process.env): void {
	const moved = env[caCertsHandoff];
	if (moved === undefined) return;
	delete env[caCertsHandoff];
	env['NODE_EXTRA_CA_CERTS'] = moved;
}
