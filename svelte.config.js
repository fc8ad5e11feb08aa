import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// STANCE_BUILD_DIR lets the end-to-end tests build into a folder of their own, so a server
		// running from build/ is not broken by a test run rebuilding it.
		adapter: adapter({ out: process.env.STANCE_BUILD_DIR || 'build' }),
		// Hashes, not nonces, for rendered pages: anonymous pages are served from a cache (read/pageCache.ts),
		// and a nonce must differ for every response. Inline style attributes (chart sizes, colour swatches) need 'unsafe-inline' for styles only.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
