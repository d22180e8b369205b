"""What the running bot keeps: conversation state, the message log, retry claims."""
