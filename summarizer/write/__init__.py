"""The assisted strategy's writer: headline and summary from the extracted facts, by the model
(one sentence per action) or composed from the facts alone."""
