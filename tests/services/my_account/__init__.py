"""The use cases of booking/services/my_account, one module each."""
