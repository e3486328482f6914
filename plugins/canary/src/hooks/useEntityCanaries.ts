import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { canaryApiRef } from '../api/CanaryApi';

/** The canaries the entity's annotation names, read once (the content tab adds the stream). */
export function useEntityCanaries(entity: Entity, enabled: boolean) {
  const api = useApi(canaryApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsyncRetry(
    async () => (enabled ? api.getEntityCanaries(ref) : undefined),
    [api, ref.kind, ref.namespace, ref.name, enabled],
  );
}
