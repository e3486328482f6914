/** Manifests shared by the emulator tests. */

export const deploymentYaml = (name: string, image: string, replicas = 2, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}${extra}
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{containerPort: 9898, name: http}]
          env: [{name: MODE, value: one}]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 9898, name: http}]
`;

export const widgetCrdYaml = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.dev
spec:
  group: example.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg], categories: [all]}
  versions:
    - name: v1beta1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
        scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
      additionalPrinterColumns:
        - {name: Status, type: string, jsonPath: .status.phase}
        - {name: Size, type: integer, jsonPath: .spec.size}
        - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1, maximum: 10}
                replicas: {type: integer}
                color: {type: string, enum: [red, blue], default: red}
            status:
              type: object
              properties:
                phase: {type: string}
                replicas: {type: integer}
                conditions:
                  type: array
                  items:
                    type: object
                    properties:
                      type: {type: string}
                      status: {type: string}
`;

export const widgetYaml = (name: string, size: number, extra = '') => `
apiVersion: example.dev/v1
kind: Widget
metadata:
  name: ${name}
  labels: {tier: gold}
spec:
  size: ${size}${extra}
`;
