import type { NovaRefusal, NovaStage } from '../../providers/openstack/nova-checks/server-create.js';
import type { FlavorFacts, OpenStackImageFacts } from '../model/index.js';

/** Nova's create-time checks of one stage (providers/openstack/nova-checks/server-create.ts `novaRefusal`). */
export type NovaChecks = (stage: NovaStage, image: OpenStackImageFacts, flavor: FlavorFacts) => NovaRefusal | undefined;

let loaded: NovaChecks | undefined;

/**
 * Loads Nova's `hw_*` x `hw:*` checks (providers/openstack/nova-checks/, some 40 KB that an AWS run never calls), which
 * the Nova hardware rules need to judge an OpenStack pair. The CLI loads them for its Rackspace and OpenStack groups
 * only (src/cli/catalog-options.ts); the library's entry (src/index.ts) installs them when it is imported, so `lint()`
 * and the other synchronous calls work there as they always did.
 */
export async function loadNovaChecks(): Promise<void> {
  loaded ??= (await import('../../providers/openstack/nova-checks/server-create.js')).novaRefusal;
}

/** Installs Nova's checks already imported (the library's entry). */
export function installNovaChecks(checks: NovaChecks): void {
  loaded = checks;
}

/**
 * The first error Nova raises at `stage` for the pair, if any.
 *
 * @throws Error when {@link loadNovaChecks} has not run: an OpenStack pair linted by a path that never loaded them (a
 *   bug in imglint, not in the input).
 */
export function novaRefusal(stage: NovaStage, image: OpenStackImageFacts, flavor: FlavorFacts): NovaRefusal | undefined {
  if (loaded === undefined) throw new Error("internal error: Nova's checks are not loaded (loadNovaChecks() before linting an OpenStack pair)");
  return loaded(stage, image, flavor);
}
