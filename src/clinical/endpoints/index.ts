/** Derived per-course endpoints and study units, by the exchange format's "Derived endpoints" rules. */
export { courseActivity } from './activity.js';
export type { CourseActivity, NotAchievedReason } from './activity.js';
export { courseResponse, inCourseSpan } from './course-response.js';
export type { CourseResponse, Progression } from './course-response.js';
export { courseTimelines } from './course-timeline.js';
export type { CourseTimeline } from './course-timeline.js';
export { baselineCreatinine, courseToxicity } from './course-toxicity.js';
export type { AdverseEventSummary, CourseToxicity, WorstLabGrade } from './course-toxicity.js';
export { deriveCourseEndpoints } from './derive-course-endpoints.js';
export type { CourseEndpoints, EndpointOptions } from './derive-course-endpoints.js';
export { studyUnits, studyUnitsOfRecords } from './study-units.js';
export { overallSurvival, progressionFreeSurvival, timeToProgression } from './time-to-event.js';
export type { TimeToEvent } from './time-to-event.js';
