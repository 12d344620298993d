export type { ProfileTimelineOptions } from './profile-timeline';
export { ProfileTimeline, TIMELINE_FILE_NAME, TIMELINE_LIMIT } from './profile-timeline';
