import { goto } from '$app/navigation';

/**
 * Submits a GET form as a clean link: empty fields left out (an empty filter means "any"), lists
 * kept readable. Without JavaScript the browser submits the form itself and the server reads the
 * blanks the same way.
 */
export function submitGetForm(e: SubmitEvent): void {
	e.preventDefault();
	const form = e.currentTarget as HTMLFormElement;
	const params = new URLSearchParams();
	for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '') params.append(k, v.trim());
	const action = new URL(form.action || location.href);
	goto(`${action.pathname}${params.size ? `?${params.toString().replaceAll('%2C', ',')}` : ''}`, { noScroll: true, keepFocus: true });
}
