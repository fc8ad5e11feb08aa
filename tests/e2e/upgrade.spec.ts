import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { eventBody, logIn } from './accounts';
import { E2E_DATA_DIR } from '../tools/e2e-paths.mjs';

// An operator upgrades: a database made by the first release (only migration 0000) that holds data
// is opened by today's server, which applies every later migration on start and keeps the data.

const JOURNAL = JSON.parse(readFileSync(resolve('drizzle/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };

/** A database file as the first release left it: migration 0000 applied by drizzle's migrator, then data. */
async function firstReleaseDatabase(file: string): Promise<void> {
	const folder = join(E2E_DATA_DIR, 'drizzle-0000');
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(join(folder, 'meta'), { recursive: true });
	const first = JOURNAL.entries[0]!;
	copyFileSync(resolve(`drizzle/${first.tag}.sql`), join(folder, `${first.tag}.sql`));
	writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...JOURNAL, entries: [first] }));
	for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });

	const client = createClient({ url: `file:${file}` });
	try {
		await migrate(drizzle(client), { migrationsFolder: folder });
		await client.batch(
			[
				`insert into actor (id, slug, name, kind, color) values (1, 'freedonia', 'Freedonia', 'country', '#1b9e77')`,
				`insert into actor (id, slug, name, kind, parent_id, role, color) values (2, 'rufus-firefly', 'Rufus T. Firefly', 'person', 1, 'Leader', '#d95f02')`,
				`insert into actor (id, slug, name, kind, color) values (3, 'sylvania', 'Sylvania', 'country', '#7570b3')`,
				`insert into issue (id, slug, title, description, scale_min, scale_max) values (1, 'border-treaty', 'The border treaty', 'Whether to sign it', -2, 2)`,
				`insert into scale_label (issue_id, value, label) values (1, -2, 'Reject'), (1, 0, 'Undecided'), (1, 2, 'Sign')`,
				`insert into stance_event (id, actor_id, issue_id, date, position, kind, summary, quote, quote_language, speaker_id, target_id, confidence)
				 values (1, 1, 1, '2024-03-01', 2, 'statement', 'Freedonia will sign', 'We shall sign at once.', 'en', 2, 3, 'high')`,
				`insert into stance_event (id, actor_id, issue_id, date, date_precision, position, kind, summary)
				 values (2, 1, 1, '2024-05-01', 'month', -2, 'action', 'Freedonia walks out of the talks')`,
				`insert into stance_event (id, actor_id, issue_id, date, position, kind, summary) values (3, 3, 1, '2024-04-15', 0, 'statement', 'Sylvania waits')`,
				`insert into source (event_id, ordinal, outlet, title, url, published_on) values (1, 0, 'Freedonia Gazette', 'Firefly speaks', 'https://example.org/gazette/1', '2024-03-02')`,
				`insert into source (event_id, ordinal, outlet) values (1, 1, 'State radio')`
			],
			'write'
		);
	} finally {
		client.close();
	}
}

test('a database of the first release, with data, is upgraded on start and keeps every record', async ({ browser, startServer }) => {
	const file = join(E2E_DATA_DIR, 'first-release.db');
	await firstReleaseDatabase(file);
	const server = await startServer({ dbPath: file });
	const api = async (path: string) => {
		const r = await fetch(server.baseURL + path);
		expect(r.status, path).toBe(200);
		return r.json();
	};

	// Every migration is applied now, and the demo data was not added to a database that had data.
	expect(await server.query('select count(*) as n from __drizzle_migrations')).toEqual([{ n: JOURNAL.entries.length }]);
	const actors: { slug: string }[] = await api('/api/actors');
	expect(actors.map((a) => a.slug).sort()).toEqual(['freedonia', 'rufus-firefly', 'sylvania']);
	expect(await api('/api/actors/rufus-firefly')).toMatchObject({ name: 'Rufus T. Firefly', kind: 'person', parent: 'freedonia', role: 'Leader' });

	const [issue] = await api('/api/issues');
	expect(issue).toMatchObject({
		slug: 'border-treaty',
		title: 'The border treaty',
		description: 'Whether to sign it',
		scale: { min: -2, max: 2, labels: [{ value: -2, label: 'Reject' }, { value: 0, label: 'Undecided' }, { value: 2, label: 'Sign' }] }
	});

	const { total, events } = await api('/api/events?issue=border-treaty');
	expect(total).toBe(3);
	expect(events.find((e: { id: number }) => e.id === 1)).toMatchObject({
		actor: 'freedonia',
		speaker: 'rufus-firefly',
		target: 'sylvania',
		date: '2024-03-01',
		datePrecision: 'day',
		position: 2,
		quote: 'We shall sign at once.',
		confidence: 'high',
		sources: [
			{ outlet: 'Freedonia Gazette', title: 'Firefly speaks', url: 'https://example.org/gazette/1', publishedOn: '2024-03-02' },
			{ outlet: 'State radio' }
		]
	});
	expect(events.find((e: { id: number }) => e.id === 2)).toMatchObject({ date: '2024-05-01', datePrecision: 'month', position: -2, kind: 'action' });
	const series = await api('/api/series?issue=border-treaty&actors=freedonia');
	expect(series.series[0].points.map((p: { position: number }) => p.position)).toEqual([2, -2]);

	// The upgraded database takes accounts and writes of the later releases.
	await server.addUser('upgrade-editor@example.org', 'editor', 'upgrade editor password');
	const context = await browser.newContext({ baseURL: server.baseURL });
	const page = await context.newPage();
	await logIn(page, 'upgrade-editor@example.org', 'upgrade editor password');
	await page.goto('/issues/border-treaty');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('The border treaty');
	await expect(page.getByRole('table')).toContainText('We shall sign at once.');
	const created = await page.request.post('/api/events', {
		headers: { Origin: server.baseURL },
		data: eventBody('sylvania', 'border-treaty', { date: '2024-06-01', position: 2, summary: 'Sylvania will sign too' })
	});
	expect(created.status(), await created.text()).toBe(201);
	expect((await api('/api/events?issue=border-treaty')).total).toBe(4);
	await context.close();
	await server.stop();
});
