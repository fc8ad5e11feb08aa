import { expect, test } from './fixtures';

// The test servers themselves: they take their settings from the tests, never from the shell that
// runs them, and each has a database of its own.

test('a test server ignores REQUIRE_LOGIN, SEED_DEMO and DATABASE_URL set in the shell', async ({ startServer }) => {
	const saved = { ...process.env };
	Object.assign(process.env, { REQUIRE_LOGIN: 'true', SEED_DEMO: 'false', DATABASE_URL: 'file:/nonexistent/folder/shell.db' });
	try {
		const s = await startServer();
		// Public (no login needed) and seeded with the demo data, on its own file.
		const r = await fetch(`${s.baseURL}/api/issues`);
		expect(r.status).toBe(200);
		expect((await r.json()).map((i: { slug: string }) => i.slug)).toContain('intelligence-sharing-us');
		expect(s.dbPath).not.toContain('nonexistent');
		await s.stop();
	} finally {
		for (const k of ['REQUIRE_LOGIN', 'SEED_DEMO', 'DATABASE_URL']) {
			if (saved[k] === undefined) delete process.env[k];
			else process.env[k] = saved[k];
		}
	}
});

test("servers do not share a database: one's writes are not in the other's", async ({ server, startServer }) => {
	const other = await startServer();
	expect(other.dbPath).not.toBe(server.dbPath);
	expect(other.port).not.toBe(server.port);
	await server.addUser('only-here@example.org', 'viewer', 'only here password');
	expect(await server.query(`select email from "user"`)).toEqual([{ email: 'only-here@example.org' }]);
	expect(await other.query(`select email from "user"`)).toEqual([]);
	await other.stop();
});
