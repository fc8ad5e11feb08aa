// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/sessions';
import type { TokenScope } from '$lib/domain/types';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: { id: string } | null;
			token: { id: number; scope: TokenScope } | null;
		}
	}
}

export {};
