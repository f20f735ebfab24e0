# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# رضاکار کا واپسی کا بٹن: اس کیوسک کے آخری اندراج، وقت اور پہلے نام کے ساتھ، ہر ایک منسوخ کیا جا سکتا ہے۔

undo-button = اندراج واپس لیں
undo-title = پچھلے { $minutes } منٹ کے اندراج
undo-none = واپس لینے کے لیے کوئی اندراج نہیں۔
undo-no-name = (نام نہیں)
undo-void = منسوخ کریں
undo-back = واپس
