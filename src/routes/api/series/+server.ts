import { db } from '$lib/server/db';
import { serveSeries } from '$lib/server/read/series';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request }) => serveSeries(db, url, request);
