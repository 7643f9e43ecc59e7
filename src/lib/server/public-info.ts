import type { Config } from './config.ts';

/** The authorities a resident can turn to, per country (COUNTRY). */
const AUTHORITIES = {
	SE: {
		accessibility: { name: 'Myndigheten för digital förvaltning (DIGG)', url: 'https://www.digg.se/tdosanmalan' },
		privacy: { name: 'Integritetsskyddsmyndigheten (IMY)', url: 'https://www.imy.se' }
	},
	BE: {
		accessibility: { name: 'Vlaamse Ombudsdienst', url: 'https://www.vlaamseombudsdienst.be' },
		privacy: { name: 'Gegevensbeschermingsautoriteit (GBA)', url: 'https://www.gegevensbeschermingsautoriteit.be' }
	}
} as const;

/** What the contact page, the accessibility statement and the privacy notice say about who runs the portal. */
export function publicInfo(config: Config) {
	return {
		municipality: config.MUNICIPALITY_NAME,
		origin: config.PUBLIC_ORIGIN,
		email: config.CONTACT_EMAIL,
		phone: config.CONTACT_PHONE,
		reviewed: config.ACCESSIBILITY_REVIEWED,
		authorities: AUTHORITIES[config.COUNTRY]
	};
}
