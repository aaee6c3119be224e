"""The demo: the whole cycle on the sample gemeente, with realistic answers and real mistakes."""
