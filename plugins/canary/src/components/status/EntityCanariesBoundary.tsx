// The states every entity view goes through before it has canaries to show: missing or malformed
// annotation, loading, a failed request, none at all.
import type { ReactElement } from 'react';
import { EmptyState, Progress, ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { CANARY_ANNOTATION, parseCanaryAnnotation } from '@aviary/backstage-plugin-canary-common';
import type { EntityCanary } from '@aviary/backstage-plugin-canary-common';
import { useEntityCanaries } from '../../hooks/useEntityCanaries';
import { isCanaryAvailable } from '../../isCanaryAvailable';

export function EntityCanariesBoundary(props: {
  entity: Entity;
  children: (canaries: EntityCanary[]) => ReactElement;
}) {
  const available = isCanaryAvailable(props.entity);
  const parsed = parseCanaryAnnotation(props.entity.metadata.annotations?.[CANARY_ANNOTATION]);
  const { loading, error, value } = useEntityCanaries(props.entity, available && parsed.ok);

  if (!available) {
    return <MissingAnnotationEmptyState annotation={CANARY_ANNOTATION} />;
  }
  if (!parsed.ok) {
    return (
      <WarningPanel
        severity="error"
        title={`The ${CANARY_ANNOTATION} annotation is not valid`}
        message={parsed.error}
      />
    );
  }
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.canaries.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No canaries"
        description={`The canary backend knows no canary for ${CANARY_ANNOTATION}: ${
          props.entity.metadata.annotations?.[CANARY_ANNOTATION] ?? ''
        }`}
      />
    );
  }
  return props.children(value.canaries);
}
