/** Backstage catalog entities checked with the catalog model's own validators. */
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  type Entity,
} from '@backstage/catalog-model';
import {
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const KIND_VALIDATORS = [componentEntityV1alpha1Validator, resourceEntityV1alpha1Validator];

/** Why the catalog would refuse `entity` (empty when it is accepted). */
export async function entityProblems(entity: unknown): Promise<string[]> {
  try {
    const checked = await policy.enforce(entity as Entity);
    if (!checked) return ['rejected by the entity policies'];
    for (const validator of KIND_VALIDATORS) {
      if (await validator.check(checked)) return [];
    }
    return [`no validator accepts kind ${checked.kind}`];
  } catch (error) {
    return [(error as Error).message];
  }
}
