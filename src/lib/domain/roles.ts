import type { Role } from './types';

/** True for people who may record and correct stances: editors and admins. */
export function canEdit(user: { role: Role } | null | undefined): boolean {
	return !!user && (user.role === 'editor' || user.role === 'admin');
}
