import type { OrganisationKind } from '../../domain.ts';
import { field, text, type FormValues } from '../form-read.ts';
import type { OrganisationInput } from './service.ts';

/** The organisation form's fields and their bounds. */
export const ORGANISATION_FORM = {
	kind: field.text(30),
	name: field.text(300),
	orgNumber: field.text(30),
	address: field.text(400),
	neighbourhoodId: field.text(100),
	contactEmail: field.text(300),
	contactPhone: field.text(60)
};

export function organisationFormValues(fd: FormValues): OrganisationInput {
	return {
		kind: text(fd, 'kind', 30) as OrganisationKind,
		name: text(fd, 'name', 300),
		orgNumber: text(fd, 'orgNumber', 30),
		address: text(fd, 'address', 400),
		neighbourhoodId: text(fd, 'neighbourhoodId', 100),
		contactEmail: text(fd, 'contactEmail', 300),
		contactPhone: text(fd, 'contactPhone', 60)
	};
}
