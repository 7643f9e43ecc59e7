export const LOCALES = ['en', 'sv', 'nl', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** Roles beyond "applicant", which every signed-in user is. */
export const ROLES = ['reviewer', 'officer', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
