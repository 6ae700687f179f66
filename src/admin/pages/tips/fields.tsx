/** The tips and pledge pages' drop-downs and text boxes: the console's own labelled fields. */
export { SelectField, TextAreaField } from '../../views/components.js';
