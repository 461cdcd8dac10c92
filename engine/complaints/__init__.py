"""The complaint domain on top of the engine: intake, services for the BPMN, projection."""
