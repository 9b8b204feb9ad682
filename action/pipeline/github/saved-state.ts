/** The state the main step saves for the post step (`cleanup.ts`): what is left to clean up or to finish. */
export const STATE_KEY = "inhouse";

export interface SavedState {
  statusCommentId?: number;
  containerId?: string;
  finished: boolean;
}
