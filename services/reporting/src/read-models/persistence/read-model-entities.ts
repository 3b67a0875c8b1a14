import { FACT_ENTITIES } from './fact-entities';
import { ProjectionStateEntity } from './projection-state.entity';

/** The read models' tables, for the service definition. */
export const READ_MODEL_ENTITIES = [...FACT_ENTITIES, ProjectionStateEntity];
