import { createFormReader } from '@metacircular/mcdsl';

// Bounds what one form field may carry; MCIAS's own rules then decide what is valid.
const form = createFormReader({ maxFieldLength: 8192 });

/** formField reads one text field ('' when absent); a repeated field or one over 8 KiB is refused. */
export const formField = form.field;
/** formValues reads a field that may repeat (a group of checkboxes); [] when absent. */
export const formValues = form.values;
/** formList splits a text field (a textarea of tags, a list of names) at commas and whitespace. */
export const formList = form.list;
/** formFlag reads a checkbox: true when sent with any value but '' or 'false'. */
export const formFlag = form.flag;
