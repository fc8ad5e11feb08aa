export type ThemeName = 'light' | 'dark';

export interface ChartTheme {
	background: string;
	text: string;
	muted: string;
	grid: string;
	font: string;
}

export const THEMES: Record<ThemeName, ChartTheme> = {
	light: {
		background: '#ffffff',
		text: '#1f2328',
		muted: '#59636e',
		grid: '#e3e6ea',
		font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
	},
	dark: {
		background: '#16181d',
		text: '#e6e8eb',
		muted: '#a3abb5',
		grid: '#2e333b',
		font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
	}
};
