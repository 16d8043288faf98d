import {describe, expect, it} from 'vitest';
import {fitRecord, redactValue, tooDeep, type EvidenceRecord} from '../../../source/sentinel/act/evidence/evidence-record.js';
import {redactArguments, redactText} from '../../../source/sentinel/act/evidence/redact.js';

/** Each command line hidden as expected, as arguments and as a line of text (quotes aside: a line is cut at its spaces). */
function expectRedacted(commands: ReadonlyArray<[string[], string[]]>): void {
	for (const [args, expected] of commands) {
		expect(redactArguments(args), args.join(' ')).toEqual(expected);
		if (!args.some(arg => arg.includes(' '))) expect(redactText(args.join(' ')), args.join(' ')).toBe(expected.join(' '));
	}
}

/** Each command line left as it is, as arguments and as a line of text. */
function expectKept(commands: readonly string[][]): void {
	expectRedacted(commands.map(args => [args, args]));
}

describe('evidence redaction', () => {
	it('hides values of arguments named like secrets, and known key shapes, leaving the rest', () => {
		expect(
			redactArguments(['agent', '--token', 'abc123', '--api-key=XYZ', 'PASSWORD=hunter2', '-p', 'x', '--auth', 'u:p', '--keyboard', 'us', '--secret-file=/run/s', 'sk-proj-abcdefghijk', 'ghp_abcdefghijklmnopqrstuvwxyz12', 'xoxb-1234-5678-abcdefgh', 'AKIAIOSFODNN7EXAMPLE', 'task-12345678901']),
		).toEqual(['agent', '--token', '***', '--api-key=***', 'PASSWORD=***', '-p', 'x', '--auth', '***', '--keyboard', 'us', '--secret-file=***', '***', '***', '***', '***', 'task-12345678901']);
	});

	it('hides them inside a line of text too: a joined command line, a header, a URL, JSON', () => {
		expect(redactText('curl -H "Authorization: Bearer abcdefghijkl" https://me:pw@host/x --token t0k')).toBe('curl -H "Authorization: ***" https://***@host/x --token ***');
		expect(redactText('{"api_key": "abc", "name": "x"} at 12:30:45 secret=1 GITHUB_TOKEN=ghp_x')).toBe('{"api_key": ***, "name": "x"} at 12:30:45 secret=*** GITHUB_TOKEN=***');
		expect(redactText('http://example.com:8080/a step 3 of 10')).toBe('http://example.com:8080/a step 3 of 10');
	});

	it('lets none of the shapes an operator would try through, as arguments or inside a line', () => {
		const planted = {
			'--password=x': '--password=***',
			'--password=a b': '--password=***',
			'TOKEN=x': 'TOKEN=***',
			'Authorization: Bearer abcdefghijkl': 'Authorization: ***',
			'Authorization: token abc123': 'Authorization: ***',
			'Proxy-Authorization: Basic dXNlcjpwYXNz': 'Proxy-Authorization: ***',
			'Cookie: sid=abc123; theme=dark': 'Cookie: ***',
			'--header=X-Api-Key:abc123': '--header=X-Api-Key:***',
			'https://user:pw@host/x': 'https://***@host/x',
			'https://user:p@ss@host/x': 'https://***@host/x',
			'https://host/x?token=abc&page=2': 'https://host/x?token=***&page=2',
			'https://host/cb?access_token=abc': 'https://host/cb?access_token=***',
			'sk-proj-Abcdefgh12345678_xyz-abc': '***',
			'ghp_AbCdEfGhIjKlMnOpQrStUvWx0123': '***',
			'github_pat_11ABCDEFG0123456789_abcdefghijk': '***',
			'xoxb-1234-5678-abcdefgh': '***',
			'xoxp-1234-5678-abcdefgh': '***',
			'AKIAIOSFODNN7EXAMPLE': '***',
			'{"api_key":"x"}': '{"api_key":***}',
			'{"auth":{"token":"abc"}}': '{"auth":{"token":***}}',
		};
		for (const [arg, expected] of Object.entries(planted)) {
			expect(redactArguments(['tool', arg]), arg).toEqual(['tool', expected]);
			// In a line of text a value ends at a space (`--password=a b` is an argument's alone); a header's at the line's end.
			const header = /^(Authorization|Proxy|Cookie)/.test(arg);
			if (!arg.includes(' ') || header) expect(redactText(`run ${arg} now`), arg).toBe(`run ${expected}${header ? '' : ' now'}`);
		}
		// A short flag is not a name: `-p` is a port as often as a password (SPEC names token, key, secret, password, auth).
		expect(redactArguments(['ssh', '-p', '2222', 'host'])).toEqual(['ssh', '-p', '2222', 'host']);
	});

	it('reads a 1 MiB word (more than any line or argument kept) once: no pattern scans it again from each letter', () => {
		// Each of these took a time quadratic in its length (16 KiB: 0.3-0.6 s; 1 MiB would be hours).
		for (const word of ['a'.repeat(1 << 20), 'a.'.repeat(1 << 19), 'a-'.repeat(1 << 19), 'a="'.repeat(1 << 18), 'a://'.repeat(1 << 18), 'x://y:auth'.repeat(1 << 17), '/token=//'.repeat(1 << 17), 'ssh://u@'.repeat(1 << 17), 'https://a'.repeat(1 << 17), 'https://a:'.repeat(1 << 17), ')'.repeat(1 << 20), '$(mysql'.repeat(1 << 17), `mysql${' -p'.repeat(1 << 18)}`, 'mysql;'.repeat(1 << 17), `curl -u ${'a'.repeat(1 << 20)}`, `curl -${'s'.repeat(1 << 20)}`, `curl${' -sSu'.repeat(1 << 18)}`, `docker login${' -p'.repeat(1 << 18)}`]) {
			expect(redactText(word)).toBe(word);
			expect(redactArguments([word])).toEqual([word]);
		}
	});

	it('hides all of a web URL\'s user part (a token as often as a name), only the password of any other, and keeps an account alone', () => {
		const hiddenUsers = {
			'https://0123456789abcdef0123456789abcdef01234567@github.com/owner/repo.git': 'https://***@github.com/owner/repo.git',
			'https://x-access-token:v1.abcdef0123@github.com/owner/repo': 'https://***@github.com/owner/repo',
			'https://abcdef0123456789:x-oauth-basic@github.com/owner/repo': 'https://***@github.com/owner/repo',
			'https://oauth2:glpat-abcdefghij@gitlab.example.com/group/repo.git': 'https://***@gitlab.example.com/group/repo.git',
			'git+https://deploytoken@git.example.com/x.git': 'git+https://***@git.example.com/x.git',
			'wss://abc123@stream.example.com/feed': 'wss://***@stream.example.com/feed',
			'postgres://app:s3cret@db:5432/shop': 'postgres://app:***@db:5432/shop',
			// A password with no user: how Redis URLs give one.
			'redis://:s3cret@cache:6379/0': 'redis://:***@cache:6379/0',
			'https://:ghtoken0123@git.example.com/x.git': 'https://***@git.example.com/x.git',
		};
		for (const [url, expected] of Object.entries(hiddenUsers)) {
			expect(redactArguments(['git', 'clone', url]), url).toEqual(['git', 'clone', expected]);
			expect(redactText(`fatal: could not read from ${url} (exit 128)`), url).toBe(`fatal: could not read from ${expected} (exit 128)`);
		}
		// An account's name is no secret: ssh's and scp's users, a database's user alone, an `@` past the host.
		for (const kept of ['git@github.com:owner/repo.git', 'ssh://git@github.com/owner/repo.git', 'scp build.tar deploy@10.0.0.5:/srv', 'postgres://app@db/shop', 'https://www.npmjs.com/package/@scope/pkg', 'https://example.com?email=ops@example.com', 'mailto:ops@example.com']) {
			expect(redactText(`git push ${kept} main`), kept).toBe(`git push ${kept} main`);
			expect(redactArguments(['git', 'push', kept]), kept).toEqual(['git', 'push', kept]);
		}
	});

	it('hides password options: a known program\'s short one, and secret-named long ones in any program', () => {
		const commands: Array<[string[], string[]]> = [
			[['mysql', '-u', 'root', '-pHunter2', 'shop'], ['mysql', '-u', 'root', '-p***', 'shop']],
			[['/usr/bin/mysqldump', '-h', 'db', '-p', 'Hunter2', '--all-databases'], ['/usr/bin/mysqldump', '-h', 'db', '-p', '***', '--all-databases']],
			[['mariadb', '-pHunter2', '-e', 'select 1'], ['mariadb', '-p***', '-e', 'select 1']],
			[['sudo', '-u', 'backup', 'mysqldump', '-pHunter2'], ['sudo', '-u', 'backup', 'mysqldump', '-p***']],
			[['sshpass', '-p', 'Hunter2', 'ssh', '-p', '2222', 'deploy@host'], ['sshpass', '-p', '***', 'ssh', '-p', '2222', 'deploy@host']],
			[['sshpass', '-pHunter2', 'rsync', '-p', 'a', 'host:b'], ['sshpass', '-p***', 'rsync', '-p', 'a', 'host:b']],
			[['redis-cli', '-h', 'cache', '-p', '6379', '-a', 'Hunter2', 'ping'], ['redis-cli', '-h', 'cache', '-p', '6379', '-a', '***', 'ping']],
			[['sh', '-c', 'mysql -pHunter2 shop < dump.sql; ssh -p 22 host'], ['sh', '-c', 'mysql -p*** shop < dump.sql; ssh -p 22 host']],
			[
				['deploy', '--password', 'a1', '--token=b2', '--api-key', 'c3', '--secret', 'd4', '--client-secret=e5', '--access-token', 'f6', '--passphrase', 'g7', '--db-password=h8', '--apikey', 'i9'],
				['deploy', '--password', '***', '--token=***', '--api-key', '***', '--secret', '***', '--client-secret=***', '--access-token', '***', '--passphrase', '***', '--db-password=***', '--apikey', '***'],
			],
		];
		expectRedacted(commands);
		expect(redactText('+ mysqldump -u root -pHunter2 shop | gzip > shop.gz && ssh -p 22 host ls')).toBe('+ mysqldump -u root -p*** shop | gzip > shop.gz && ssh -p 22 host ls');
		expect(redactText('mysql -pHunter2\nssh -p 22 host')).toBe('mysql -p***\nssh -p 22 host');
		// A quoted password with spaces in it, hidden to its closing quote (a shell's trace, a command in a log line).
		expect(redactText(`+ mysql -u root -p"my secret pass" shop; ssh -p 22 host`)).toBe('+ mysql -u root -p*** shop; ssh -p 22 host');
		expect(redactText(`mysql -p 'two words'; ssh -p 22 host`)).toBe('mysql -p ***; ssh -p 22 host');
		expect(redactText(`redis-cli -a "a b" ping\nnext line`)).toBe('redis-cli -a *** ping\nnext line');
		expect(redactText(`mysql -p"unclosed quote\nssh -p 22 host`)).toBe('mysql -p***\nssh -p 22 host');
		expect(redactArguments(['sh', '-c', `mysql -p'my secret' shop`])).toEqual(['sh', '-c', 'mysql -p*** shop']);
		// Short flags of any other program mean what they mean there: a port, permissions, a publish.
		expectKept([['ssh', '-p', '22', 'host'], ['tar', '-p', '-xf', 'a.tar'], ['tar', '-pxf', 'a.tar'], ['psql', '-p', '5432', '-U', 'app', 'shop'], ['docker', 'run', '-p', '8080:80', 'img'], ['mysql', '-P', '3306', '-h', 'db', 'shop'], ['mysql', '-p', '-h', 'db'], ['cp', '-p', '/etc/mysql/my.cnf', '.']]);
	});

	it('hides the password of a user:password option (curl), a downloader\'s, and a registry login\'s, and keeps a user alone', () => {
		const url = 'https://files.example.com/a.tar';
		const commands: Array<[string[], string[]]> = [
			[['curl', '-u', 'deploy:Hunter2', url], ['curl', '-u', 'deploy:***', url]],
			[['curl', '--user', 'deploy:Hunter2', url], ['curl', '--user', 'deploy:***', url]],
			[['curl', '--user=deploy:Hunter2', url], ['curl', '--user=deploy:***', url]],
			[['curl', '-udeploy:Hunter2', url], ['curl', '-udeploy:***', url]],
			[['/usr/bin/curl', '-fsSL', '-u', 'deploy:Hunter2', url], ['/usr/bin/curl', '-fsSL', '-u', 'deploy:***', url]],
			// Short options run together, the last one taking the value: `-sSu user:pass`.
			[['curl', '-sSu', 'deploy:Hunter2', url], ['curl', '-sSu', 'deploy:***', url]],
			[['curl', '-sSudeploy:Hunter2', url], ['curl', '-sSudeploy:***', url]],
			// The password is all after the first `:`, a `:` in it too; an empty user is still a user.
			[['curl', '-u', 'deploy:Hun:ter2', url], ['curl', '-u', 'deploy:***', url]],
			[['curl', '-u', ':Hunter2', url], ['curl', '-u', ':***', url]],
			[['curl', '-x', 'http://proxy:3128', '-U', 'me:Hunter2', url], ['curl', '-x', 'http://proxy:3128', '-U', 'me:***', url]],
			[['curl', '--proxy-user', 'me:Hunter2', url], ['curl', '--proxy-user', 'me:***', url]],
			[['curl', '--proxy-user=me:Hunter2', url], ['curl', '--proxy-user=me:***', url]],
			[['curl', '-Ume:Hunter2', url], ['curl', '-Ume:***', url]],
			// curl's short options that are no letters run together too (`-4`, `-6`, `-#`), and its -u takes the next word whatever it starts with.
			[['curl', '-4u', 'deploy:Hunter2', url], ['curl', '-4u', 'deploy:***', url]],
			[['curl', '-#u', 'deploy:Hunter2', url], ['curl', '-#u', 'deploy:***', url]],
			[['curl', '-6sSudeploy:Hunter2', url], ['curl', '-6sSudeploy:***', url]],
			[['curl', '-u', '-deploy:Hunter2', url], ['curl', '-u', '-deploy:***', url]],
			// curl's client certificate takes its passphrase the same way: `--cert file[:password]`.
			[['curl', '--cert', 'client.pem:Hunter2', url], ['curl', '--cert', 'client.pem:***', url]],
			[['curl', '-E', 'client.pem:Hunter2', url], ['curl', '-E', 'client.pem:***', url]],
			[['curl', '-sSEclient.pem:Hunter2', url], ['curl', '-sSEclient.pem:***', url]],
			[['curl', '--proxy-cert=proxy.pem:Hunter2', url], ['curl', '--proxy-cert=proxy.pem:***', url]],
			// A word that is nothing secret to one program (curl's -U in -pSUPER) is still another's password.
			[['docker', 'exec', 'curl', 'mysql', '-uroot', '-pSUPER'], ['docker', 'exec', 'curl', 'mysql', '-uroot', '-p***']],
			[['docker', 'exec', 'curl', 'redis-cli', '-aUs3cret'], ['docker', 'exec', 'curl', 'redis-cli', '-a***']],
			[['docker', 'exec', 'curl', 'mysql', '-pUSER:Hunter2'], ['docker', 'exec', 'curl', 'mysql', '-p***']],
			// A URL whose path ends in a program's name is no new command.
			[['curl', 'https://example.com/helm', '-u', 'me:Hunter2'], ['curl', 'https://example.com/helm', '-u', 'me:***']],
			[['wget', '--user', 'deploy', '--password', 'Hunter2', url], ['wget', '--user', 'deploy', '--password', '***', url]],
			[['wget', '--password=Hunter2', '--http-password', 'a1', '--ftp-password=b2', '--proxy-password', 'c3', url], ['wget', '--password=***', '--http-password', '***', '--ftp-password=***', '--proxy-password', '***', url]],
			[['docker', 'login', '-u', 'deploy', '-p', 'Hunter2', 'registry.example.com'], ['docker', 'login', '-u', 'deploy', '-p', '***', 'registry.example.com']],
			[['docker', 'login', '-pHunter2', 'registry.example.com'], ['docker', 'login', '-p***', 'registry.example.com']],
			[['docker', 'login', '--password', 'Hunter2', '--username=deploy'], ['docker', 'login', '--password', '***', '--username=deploy']],
			[['docker', 'login', '--password=Hunter2'], ['docker', 'login', '--password=***']],
			// A path naming the program again changes nothing: its login's -p still holds.
			[['docker', 'login', '--config', '/tmp/docker', '-p', 'Hunter2'], ['docker', 'login', '--config', '/tmp/docker', '-p', '***']],
			[['podman', 'login', '-p', 'Hunter2', 'quay.io'], ['podman', 'login', '-p', '***', 'quay.io']],
			[['buildah', 'login', '-p', 'Hunter2', 'quay.io'], ['buildah', 'login', '-p', '***', 'quay.io']],
			[['skopeo', 'login', '-u', 'deploy', '-p', 'Hunter2', 'quay.io'], ['skopeo', 'login', '-u', 'deploy', '-p', '***', 'quay.io']],
			[['nerdctl', 'login', '-p', 'Hunter2', 'ghcr.io'], ['nerdctl', 'login', '-p', '***', 'ghcr.io']],
			[['oras', 'login', '-p', 'Hunter2', 'ghcr.io'], ['oras', 'login', '-p', '***', 'ghcr.io']],
			[['helm', 'registry', 'login', 'ghcr.io', '-u', 'deploy', '-p', 'Hunter2'], ['helm', 'registry', 'login', 'ghcr.io', '-u', 'deploy', '-p', '***']],
			// skopeo's and podman's `--creds USER:PASSWORD`, named like a credential.
			[['skopeo', 'copy', '--src-creds', 'deploy:Hunter2', 'docker://a', 'docker://b'], ['skopeo', 'copy', '--src-creds', '***', 'docker://a', 'docker://b']],
			[['podman', 'pull', '--creds=deploy:Hunter2', 'quay.io/x'], ['podman', 'pull', '--creds=***', 'quay.io/x']],
			[['sh', '-c', 'curl -u a:Hunter2 https://x && docker login -p Hunter3 r && docker run -p 8080:80 -u 1000:1000 img'], ['sh', '-c', 'curl -u a:*** https://x && docker login -p *** r && docker run -p 8080:80 -u 1000:1000 img']],
			// The subcommand quoted, a program glued to the `&&` before it, the clouds' logins.
			[['sh', '-c', "docker 'login' -p Hunter2 r"], ['sh', '-c', "docker 'login' -p *** r"]],
			[['sh', '-c', 'cd /srv&&mysql -uroot -pHunter2 shop'], ['sh', '-c', 'cd /srv&&mysql -uroot -p*** shop']],
			[['sh', '-c', 'true;mysql -pHunter2'], ['sh', '-c', 'true;mysql -p***']],
			[['oc', 'login', 'https://api.example.com:6443', '-u', 'deploy', '-p', 'Hunter2'], ['oc', 'login', 'https://api.example.com:6443', '-u', 'deploy', '-p', '***']],
			[['az', 'login', '-u', 'deploy@example.com', '-p', 'Hunter2'], ['az', 'login', '-u', 'deploy@example.com', '-p', '***']],
			[['cf', 'login', '-a', 'https://api.example.com', '-u', 'deploy', '-p', 'Hunter2'], ['cf', 'login', '-a', 'https://api.example.com', '-u', 'deploy', '-p', '***']],
			// A URL's query naming a program after `&` adds it, and takes nothing from the command's own.
			[['curl', 'https://x.example.com/?a=1&b=mysql', '-u', 'me:Hunter2'], ['curl', 'https://x.example.com/?a=1&b=mysql', '-u', 'me:***']],
		];
		expectRedacted(commands);
		// In a text, a quoted password goes to its closing quote; a quoted user:password is hidden whole.
		expect(redactText(`+ curl -u deploy:"two words" ${url}; ssh -p 22 host`)).toBe(`+ curl -u deploy:*** ${url}; ssh -p 22 host`);
		expect(redactText(`+ curl -u "deploy:two words" ${url}`)).toBe(`+ curl -u *** ${url}`);
		expect(redactText(`+ curl -u 'deploy:Hunter2' ${url}`)).toBe(`+ curl -u 'deploy:*** ${url}`);
		// A user alone is no secret (curl asks for the password); `-u` and `-p` mean other things in other commands.
		expectKept([
			['curl', '-u', 'deploy', url],
			['curl', '--user', 'deploy', url],
			['curl', '--user=deploy', url],
			['curl', '-udeploy', url],
			['curl', '--cert', 'client.pem', '--cert-type', 'PEM', url],
			['curl', '--user-agent', 'probe:1.0', url],
			['curl', '-p', '-x', 'http://proxy:3128', url],
			['wget', '--user', 'deploy', url],
			['docker', 'run', '-p', '8080:80', '-u', '1000:1000', 'img'],
			['podman', 'run', '-p', '5432:5432', 'postgres'],
			['docker', 'push', 'registry.example.com/img:1.0'],
			['oc', 'port-forward', 'pod/web', '-p', '8080'],
			['az', 'vm', 'open-port', '-g', 'rg', '-n', 'vm', '--port', '80'],
			['helm', 'install', 'web', 'chart', '--set', 'port=8080'],
			['ssh', '-p', '22', '-l', 'deploy', 'host'],
			['sudo', '-u', 'deploy:staff', 'ls'],
		]);
	});

	it('hides every value under a manifest field named like a secret, however deep', () => {
		expect(redactValue({tokens: ['a', 'b'], auth: {user: 'me', pin: 1234}, api_key: 'k', note: 'key sk-proj-Abcdefgh12345678', steps: [1, 2]})).toEqual({
			tokens: ['***', '***'],
			auth: {user: '***', pin: '***'},
			api_key: '***',
			note: 'key ***',
			steps: [1, 2],
		});
		// Past the depth redaction looks into, nothing is kept whole: a secret could lie below it.
		let deep: unknown = {token: 'deep-secret-value'};
		for (let level = 0; level < 40; level++) deep = {a: deep};
		const shown = JSON.stringify(redactValue(deep));
		expect(shown).not.toContain('deep-secret-value');
		expect(shown).toContain(tooDeep);
	});
});

describe('an evidence file over 1 MiB', () => {
	it('is cut, output tails first, and says what was cut', () => {
		const lines = Array.from({length: 200}, (_, index) => `${index} ${'x'.repeat(6000)}`);
		const record = {format: 1, action: 'terminate', action_id: 'a', actor: 'auto', job_id: 'j', dir: '/d', captured_at: '', sentinel: {version: '0', host: 'h', pid: 1}, severity: 'critical', reason: '', assessment: null, diagnosis: null, processes: [], outputs: [{file: 'out.log', lines}], manifest: {status: 'RUNNING'}, evidence_command: null} satisfies EvidenceRecord;
		const text = fitRecord(record);
		expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
		const fitted = JSON.parse(text) as EvidenceRecord;
		expect(fitted.outputs[0]!.lines).toHaveLength(100);
		expect(fitted.outputs[0]!.lines.at(-1)).toBe(lines.at(-1));
		expect(fitted.cut).toEqual(['output tails cut to their last 100 lines']);
		expect(fitted.manifest).toEqual({status: 'RUNNING'});
	});
});
