# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# تیار اسکرین پر کیمرے کا منظر؛ ڈیمو میں: کیمرے میں کیا ہے اور کیوں۔

preview-demo-new = ڈیمو: نیا پاس: قبول
preview-demo-again = ڈیمو: وہی پاس دوبارہ: پہلے ہی استعمال ہو چکا
preview-demo-expired = ڈیمو: میعاد گزرا ہوا پاس: میعاد ختم
preview-demo-other-key = ڈیمو: کسی اور کلید سے دستخط شدہ: یہاں درست نہیں
preview-demo-broken = ڈیمو: ایک خانہ غلط: درست پاس نہیں
preview-demo-not-a-pass = ڈیمو: ویب ایڈریس، پاس نہیں
preview-demo-arabic = ڈیمو: عربی نام والا نیا پاس: قبول
preview-demo-between = ڈیمو: اگلا پاس چند لمحوں میں
