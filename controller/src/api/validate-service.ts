// Rules for spec.service that the schema cannot express.
import { indexField, joinField, problem } from './problems.js';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  checkDuration,
  checkServiceName,
  checkStringMatch,
  checkStringMatchMap,
  isDnsLabel,
  isPortName,
  type Problems,
} from './validate-helpers.js';

export function validateService(
  service: Record<string, unknown>,
  targetName: string | undefined,
  out: Problems,
): void {
  const field = 'spec.service';
  const name = asString(service.name);
  if (name !== undefined && name !== '') {
    checkServiceName(name, `${field}.name`, '', out);
  } else if (targetName) {
    checkServiceName(
      targetName,
      'spec.targetRef.name',
      ' (it is used as the Service name because spec.service.name is not set)',
      out,
    );
  }

  const portName = asString(service.portName);
  if (portName && !isDnsLabel(portName)) {
    out.push(
      problem(
        `${field}.portName`,
        `is ${JSON.stringify(portName)}, which is not a valid port name: use lower-case letters, digits and '-'.`,
      ),
    );
  }

  const targetPort = service.targetPort;
  if (typeof targetPort === 'string' && !isPortName(targetPort)) {
    out.push(
      problem(
        `${field}.targetPort`,
        `is ${JSON.stringify(targetPort)}, which is neither a port number nor a valid container port name (at most 15 lower-case letters, digits and '-', with at least one letter).`,
      ),
    );
  }
  const targetNumber = asNumber(targetPort);
  if (targetNumber !== undefined && (targetNumber < 1 || targetNumber > 65535)) {
    out.push(
      problem(`${field}.targetPort`, `must be between 1 and 65535, but is ${targetNumber}.`),
    );
  }

  if (service.delegation === true) {
    for (const key of ['hosts', 'gateways']) {
      if (asArray(service[key]).length > 0) {
        out.push(
          problem(
            `${field}.${key}`,
            'must be empty when spec.service.delegation is true: a delegate VirtualService takes its hosts and gateways from the root VirtualService.',
          ),
        );
      }
    }
  }

  checkDuration(service.timeout, `${field}.timeout`, out);
  checkDuration(asObject(service.retries)?.perTryTimeout, `${field}.retries.perTryTimeout`, out);
  checkDuration(asObject(service.corsPolicy)?.maxAge, `${field}.corsPolicy.maxAge`, out);
  asArray(asObject(service.corsPolicy)?.allowOrigins).forEach((match, i) =>
    checkStringMatch(match, indexField(`${field}.corsPolicy.allowOrigins`, i), out),
  );

  asArray(service.match).forEach((entry, i) => {
    const match = asObject(entry);
    if (!match) return;
    const at = indexField(`${field}.match`, i);
    for (const key of ['uri', 'scheme', 'method', 'authority']) {
      checkStringMatch(match[key], joinField(at, key), out);
    }
    for (const key of ['headers', 'withoutHeaders', 'queryParams']) {
      checkStringMatchMap(match[key], joinField(at, key), out);
    }
  });
}
