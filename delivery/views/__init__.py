"""Pages of delivery assurance: thin function views, one service call each."""
