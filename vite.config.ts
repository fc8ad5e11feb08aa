import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		// Some tests import real datasets or render real images: on a busy 2-core machine these take
		// longer than Vitest's 5 s default. Timeouts guard against hangs, not speed.
		testTimeout: 30_000
	}
});
