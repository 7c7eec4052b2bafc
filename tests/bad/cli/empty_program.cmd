-e

