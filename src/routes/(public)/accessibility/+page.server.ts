import { getApp } from '#lib/server/app.ts';
import { publicInfo } from '#lib/server/public-info.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => publicInfo(getApp().config);
