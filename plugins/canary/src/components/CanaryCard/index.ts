export { EntityCanaryCard } from './EntityCanaryCard';
