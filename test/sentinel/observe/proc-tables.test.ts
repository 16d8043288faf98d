import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {decodeAddress, parseLocks, parseTcp, parseUnix, ProcTables} from '../../../source/sentinel/observe/proc-tables.js';
import {parseSyscall} from '../../../source/sentinel/observe/proc-wait.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {makeTempDir} from '../../helpers/temp-dir.js';

const littleEndian = os.endianness() === 'LE';

/** The inodes of the sockets this process holds open. */
function ownSocketInodes(): number[] {
	return fs.readdirSync('/proc/self/fd').flatMap(fd => {
		try {
			return [/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1]].filter(Boolean).map(Number);
		} catch {
			return [];
		}
	});
}

describe('the /proc tables a diagnosis reads', () => {
	it('parses /proc/locks, waiters (->) apart from holders, as proc_locks(5) and newer kernels write them', () => {
		const text = ['1: POSIX  ADVISORY  READ  5433 08:01:7864448 128 128', '2: FLOCK  ADVISORY  WRITE 2001 08:01:7864554 0 EOF', '2: -> FLOCK  ADVISORY  WRITE 2005 08:01:7864554 0 EOF', '2:  -> -> FLOCK  ADVISORY  WRITE 2007 08:01:7864554 0 EOF', '8: OFDLCK ADVISORY  WRITE -1 08:01:8713209 128 191', ''].join('\n');
		expect(parseLocks(text)).toEqual([
			{type: 'POSIX', pid: 5433, file: '08:01:7864448', waiting: false},
			{type: 'FLOCK', pid: 2001, file: '08:01:7864554', waiting: false},
			{type: 'FLOCK', pid: 2005, file: '08:01:7864554', waiting: true},
			{type: 'FLOCK', pid: 2007, file: '08:01:7864554', waiting: true},
			{type: 'OFDLCK', pid: -1, file: '08:01:8713209', waiting: false},
		]);
	});

	it.runIf(littleEndian)('decodes /proc/net/tcp and tcp6 addresses: words in the machine\'s byte order, the port in plain hex', () => {
		expect(decodeAddress('0100007F:1F90')).toBe('127.0.0.1:8080');
		expect(decodeAddress('010310AC:9C4C')).toBe('172.16.3.1:40012');
		expect(decodeAddress('00000000000000000000000001000000:0050')).toBe('[::1]:80');
		expect(decodeAddress('0000000000000000FFFF00000100007F:1F90')).toBe('127.0.0.1:8080');
		expect(decodeAddress('000080FE00000000FF565002BD69D2FE:0016')).toBe('[fe80::250:56ff:fed2:69bd]:22');
		expect(decodeAddress('not:hex')).toBeNull();
		const table = parseTcp(['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode', '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 332 1 0 100 0 0 10 0', '   1: 0100007F:A7EA 0100007F:B3A7 01 00000000:00000000 00:00000000 00000000     0        0 837360 2 0 20 0 0 10 -1'].join('\n'));
		expect(table.get(332)).toEqual({local: '0.0.0.0:8080', remote: '0.0.0.0:0', listening: true});
		expect(table.get(837360)).toEqual({local: '127.0.0.1:42986', remote: '127.0.0.1:45991', listening: false});
	});

	it('finds a real connection by its socket inode, and a real waiter in /proc/locks, each read once', async () => {
		const server = net.createServer(socket => socket.on('error', () => {}));
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		onTestFinished(() => new Promise<void>(resolve => server.close(() => resolve())));
		const port = (server.address() as net.AddressInfo).port;
		const client = net.connect(port, '127.0.0.1');
		await new Promise(resolve => client.once('connect', resolve));
		onTestFinished(() => void client.destroy());
		// The client's socket is one of this process's descriptors: find its inode there.
		const tables = new ProcTables();
		const connected = ownSocketInodes().map(inode => tables.tcp(inode)).find(socket => socket?.remote === `127.0.0.1:${port}`);
		expect(connected).toMatchObject({local: `127.0.0.1:${client.localPort}`, listening: false});

		const lockFile = path.join(makeTempDir(), 'held');
		fs.writeFileSync(lockFile, '');
		const holder = startProcess('flock', [lockFile, 'sleep', '600']);
		expect(await waitFor(() => new ProcTables().locks.some(line => line.pid === holder.pid))).toBe(true);
		const waiter = startProcess('flock', [lockFile, 'true']);
		expect(await waitFor(() => new ProcTables().locks.some(line => line.pid === waiter.pid && line.waiting))).toBe(true);
		const inode = String(fs.statSync(lockFile).ino);
		expect(new ProcTables().locks.filter(line => line.file.endsWith(`:${inode}`)).map(line => [line.pid, line.waiting])).toEqual([
			[holder.pid, false],
			[waiter.pid, true],
		]);
	});

	it('reads /proc/net/unix: a socket\'s whole path, spaces and all, null for one without, @ for an abstract name', () => {
		const text = ['Num       RefCount Protocol Flags    Type St Inode Path', '000000001b7d7a12: 00000002 00000000 00010000 0001 01 31337 /run/jobs dir/a b.sock', '0000000095613f73: 00000003 00000000 00000000 0001 03 9926125', '00000000c0ffee00: 00000002 00000000 00010000 0001 01 42 @name with spaces', ''].join('\n');
		expect([...parseUnix(text)]).toEqual([
			[31337, '/run/jobs dir/a b.sock'],
			[9926125, null],
			[42, '@name with spaces'],
		]);
	});

	it('finds a real unix socket\'s path when its directory\'s name holds a space', async () => {
		const socketPath = path.join(makeTempDir('sentinel socket '), 'job socket');
		const server = net.createServer(socket => socket.on('error', () => {}));
		await new Promise<void>(resolve => server.listen(socketPath, resolve));
		onTestFinished(() => new Promise<void>(resolve => server.close(() => resolve())));
		const tables = new ProcTables();
		expect(ownSocketInodes().map(inode => tables.unix(inode))).toContain(socketPath);
	});

	it('parses /proc/<pid>/syscall: a blocked call with its six arguments, running, or blocked outside a call', () => {
		expect(parseSyscall('0 0x0 0x5570f1668d00 0x2000 0x7fcd0d1b5a58 0x0 0x0 0x7ffd018bacb8 0x7fcd0d3162ad\n')).toEqual({state: 'blocked', number: 0, args: [0n, 0x55_70_f1_66_8d_00n, 0x20_00n, 0x7f_cd_0d_1b_5a_58n, 0n, 0n]});
		expect(parseSyscall('running\n')).toEqual({state: 'running'});
		expect(parseSyscall('-1 0x7ffd018bacb8 0x7fcd0d3162ad\n')).toEqual({state: 'outside'});
	});
});
