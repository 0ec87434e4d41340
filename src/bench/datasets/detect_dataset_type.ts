// Choosing the dataset type of --input-file is a settings rule: it lives in config/.
export * from "../config/detect_dataset_type.ts";
