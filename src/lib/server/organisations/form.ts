import type { OrganisationKind } from '../../domain.ts';
import { text } from '../forms.ts';
import type { OrganisationInput } from './service.ts';

export function organisationFormValues(fd: FormData): OrganisationInput {
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
