// KBPipeline
